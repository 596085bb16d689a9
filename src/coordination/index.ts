// Coordination between platforms and operators: mechanism port, `none`, `dso-pricing`, TSO/DSO mediation.
import { InputError } from '../core/errors.ts';
import { dsoPricingCoordination } from './dso-pricing-coordination.ts';
import { COORDINATION_NAMES, type CoordinationMechanism, type CoordinationName } from './mechanism.ts';
import { noneCoordination } from './none.ts';

export {
  computeFeederDlmpSchedule,
  DSO_PRICING_RISK,
  DSO_PRICING_SCENARIOS,
  dsoPricingCoordination,
} from './dso-pricing-coordination.ts';
export * from './mechanism.ts';
export { flatPriceSchedule, noneCoordination } from './none.ts';
export * from './tso-dso-mediation.ts';

/** The coordination mechanism for a name; an InputError names the field otherwise. */
export function createCoordination(
  name: string,
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism {
  if (name === 'none') return noneCoordination;
  if (name === 'dso-pricing') return dsoPricingCoordination;
  throw InputError.single(
    'unknown_coordination',
    path,
    `unknown coordination "${name}"; expected one of ${COORDINATION_NAMES.join(', ')}`,
  );
}

export type { CoordinationName };
