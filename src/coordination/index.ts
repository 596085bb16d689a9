// Coordination between platforms and operators: mechanism port, config, factories, `none`, `dso-pricing`, mediation.

import { createCentralisedCoordination } from './centralised.ts';
import {
  type CoordinationConfig,
  type CoordinationName,
  type ResolvedCoordinationConfig,
  resolveCoordinationConfig,
} from './config.ts';
import { createDsoPricingCoordination } from './dso-pricing.ts';
import { createDsoPricingPlusMpcCoordination, createNegotiationPlusMpcCoordination } from './hybrids.ts';
import type { CoordinationMechanism } from './mechanism.ts';
import { createMpcCoordination } from './mpc.ts';
import { createNegotiationCoordination } from './negotiation.ts';
import { createNoneCoordination } from './none.ts';
import { createRlCoordination } from './rl.ts';

export { computeCentralisedSchedule, createCentralisedCoordination } from './centralised.ts';
export * from './config.ts';
export {
  computeFeederDlmpSchedule,
  createDsoPricingCoordination,
  DSO_PRICING_RISK,
  DSO_PRICING_SCENARIOS,
  dsoPricingCoordination,
} from './dso-pricing.ts';
export * from './hybrids.ts';
export * from './mechanism.ts';
export { adderSchedule, createMpcCoordination } from './mpc.ts';
export { createNegotiationCoordination, negotiateSchedule } from './negotiation.ts';
export { createNoneCoordination, flatPriceSchedule, noneCoordination } from './none.ts';
export * from './rl/policy.ts';
export { createRlCoordination, policySchedule } from './rl.ts';
export * from './tso-dso-mediation.ts';

/**
 * The coordination mechanism for a configuration, `{ name: 'none' }` or `{ name: 'dso-pricing', riskLevel?,
 * scenarioCount? }` (a bare name is shorthand for `{ name }`). The config is validated and the defaults merged here;
 * an InputError names the field under `path` (e.g. `simulation.coordination.riskLevel`).
 */
export function createCoordination(
  config: CoordinationConfig | CoordinationName,
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism {
  return createResolvedCoordination(resolveCoordinationConfig(config, path));
}

function createResolvedCoordination(config: ResolvedCoordinationConfig): CoordinationMechanism {
  switch (config.name) {
    case 'none':
      return createNoneCoordination();
    case 'dso-pricing': {
      const { name: _, ...options } = config;
      return createDsoPricingCoordination(options);
    }
    case 'negotiation': {
      const { name: _, ...options } = config;
      return createNegotiationCoordination(options);
    }
    case 'centralised':
      return createCentralisedCoordination();
    case 'mpc': {
      const { name: _, ...options } = config;
      return createMpcCoordination(options);
    }
    case 'rl': {
      const { name: _, ...options } = config;
      return createRlCoordination(options);
    }
    case 'negotiation+mpc': {
      const { name: _, ...options } = config;
      return createNegotiationPlusMpcCoordination(options);
    }
    case 'dso-pricing+mpc': {
      const { name: _, ...options } = config;
      return createDsoPricingPlusMpcCoordination(options);
    }
  }
}
