// Coordination `centralised`: the welfare reference — the DSO's deterministic DLMP dispatch on the point forecasts.
//
// One optimisation per gate and feeder on the same day-ahead forecasts every mechanism sees: members' flexibility
// (issue 6's quadratic EV demand and PV curtailment, as in dso-pricing), the LV feeder's LinDistFlow voltage and
// thermal limits with AC loss factors (problems/dlmp), at the wholesale price the TSO's DC OPF cleared for the
// DSO, whose bid is clipped to its MV-feasible range (MV limits) before that clearing. Solved without uncertainty
// margins (one scenario: the point forecast), so it is the welfare optimum of the expected day. Households get the
// DLMP prices (import/export = flat + ν_b, P2P fee ν_b − ν_s), whose best responses are the optimum (KKT).
// Scope: the whole-system problem decomposes exactly into these per-feeder problems when, at the optimum, the
// MV limits do not bind and the TSO's marginal price at the grid supply point does not move with the DSO's
// position — then the sum of the parts is the joint optimum. It is not one monolithic LV + MV + TSO problem.

import { computeFeederDlmpSchedule } from './dso-pricing.ts';
import type { CoordinationMechanism, DsoPricingInput } from './mechanism.ts';

/** The centralised reference's DLMP schedule: the dso-pricing dispatch on the point forecast (no margins). */
export function computeCentralisedSchedule(input: DsoPricingInput) {
  const pointForecast: DsoPricingInput = {
    ...input,
    forecastError: { loadDailySigma: 0, loadNoiseSigma: 0, pvRegionalSigma: 0 },
  };
  // One scenario equal to the point forecast: no sample-quantile tightening; ε is then immaterial.
  return computeFeederDlmpSchedule(pointForecast, { riskLevel: 0.5, scenarioCount: 1 });
}

/** The `centralised` mechanism (no options). */
export function createCentralisedCoordination(): CoordinationMechanism {
  return {
    name: 'centralised',
    config: { name: 'centralised' },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    priceSchedule: computeCentralisedSchedule,
  };
}
