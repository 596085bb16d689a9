// The mechanism registry: one MarketMechanism per name, with `central` accepted as an alias of `centralised`.
import { InputError } from '../core/errors.ts';
import { type AdmmOptions, createAdmmMechanism } from './admm.ts';
import { createCentralisedMechanism } from './centralised.ts';
import { type ContractNetworkOptions, createContractNetworkMechanism } from './contract-network.ts';
import { createDoubleAuctionMechanism, type DoubleAuctionOptions } from './double-auction.ts';
import { type MarketMechanism, MECHANISM_NAMES, type MechanismName } from './mechanism.ts';

export interface MechanismOptions {
  readonly admm?: AdmmOptions;
  readonly contractNetwork?: ContractNetworkOptions;
  readonly doubleAuction?: DoubleAuctionOptions;
}

const ALIASES: Readonly<Record<string, MechanismName>> = { central: 'centralised' };

/** Resolve a user-given name (or alias) to a mechanism name; an InputError names the field otherwise. */
export function parseMechanismName(
  name: string,
  path: readonly (string | number)[] = ['mechanism'],
): MechanismName {
  const resolved = ALIASES[name] ?? name;
  if ((MECHANISM_NAMES as readonly string[]).includes(resolved)) return resolved as MechanismName;
  throw InputError.single(
    'unknown_mechanism',
    path,
    `unknown mechanism "${name}"; expected one of ${MECHANISM_NAMES.join(', ')} (or central)`,
  );
}

export function createMarketMechanism(name: MechanismName, options: MechanismOptions = {}): MarketMechanism {
  switch (name) {
    case 'centralised':
      return createCentralisedMechanism();
    case 'admm':
      return createAdmmMechanism(options.admm);
    case 'contract-network':
      return createContractNetworkMechanism(options.contractNetwork);
    case 'double-auction':
      return createDoubleAuctionMechanism(options.doubleAuction);
  }
}
