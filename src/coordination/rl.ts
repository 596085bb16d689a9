// Coordination `rl` (DESIGN.md M5-C): each platform's trained policy maps its local observations to its clearing
// adjustments — import and export shading on top of the flat tariff — with no coordination messages.
//
// Policy and observations: rl/policy.ts, rl/environment.ts; training (seeded evolution strategy scored by full
// simulator runs against `none`): rl/train.ts, studies/rl-training.ts, `gridnest train --coordination rl`.
// Every household of a platform and the platform's own location pay import = flat + a_imp and receive export =
// flat + a_exp (a per DSO interval: the mean of the policy's actions over the platform intervals inside); no P2P
// fee. Without a `policy` option the adjustments are zero
// (flat prices, as `none`); the CLI passes the shipped policy (data/rl/policy.json).
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import { type RlOptions, resolveRlOptions } from './config.ts';
import type { CoordinationMechanism, DsoPricingInput } from './mechanism.ts';
import { schedulePrice } from './mechanism.ts';
import { flatPriceSchedule } from './none.ts';
import { buildEpisodes, observe } from './rl/environment.ts';
import { evaluatePolicy, type Policy } from './rl/policy.ts';

/** The `rl` mechanism for its options (validated). */
export function createRlCoordination(
  options: RlOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism {
  const resolved = resolveRlOptions(options, path);
  return {
    name: 'rl',
    config: { name: 'rl', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    negotiationStats: () => ({ rounds: 0, messages: 0, bytes: 0 }),
    priceSchedule: async (input) => policySchedule(input, resolved.policy),
  };
}

/** The schedule of a policy's actions (module comment). */
export function policySchedule(input: DsoPricingInput, policy?: Policy): PriceSchedule {
  const flat = flatPriceSchedule(input);
  // Without a policy every action is 0: flat prices, still one location per household.
  const act = (o: Float64Array): [number, number] =>
    policy ? evaluatePolicy(policy.parameters, policy.hidden, policy.scaleEurPerMwh, o) : [0, 0];
  const episodes = buildEpisodes(input);
  const locations = flat.locations.flatMap((base) => {
    const e = episodes.find((x) => x.data.platformId === base.locationId);
    const feeder = input.feeders.find((f) => f.platformId === base.locationId);
    if (!e || !feeder) return [base];
    const n = input.index.length;
    const ratio = e.data.index.length / n;
    const adders = [new Float64Array(n), new Float64Array(n)];
    for (let t = 0; t < e.data.index.length; t++) {
      const a = act(observe(e, t));
      for (const k of [0, 1]) adders[k][Math.floor(t / ratio)] += a[k] / ratio;
    }
    const importPriceEurPerKwh = base.importPriceEurPerKwh.map((p, t) =>
      schedulePrice(p + adders[0][t] / KW_PER_MW),
    );
    // Export never pays more than import costs (no meter arbitrage).
    const exportPriceEurPerKwh = base.exportPriceEurPerKwh.map((p, t) =>
      Math.min(importPriceEurPerKwh[t], schedulePrice(p + adders[1][t] / KW_PER_MW)),
    );
    return [base.locationId, ...feeder.members.map((m) => m.locationId)].map((locationId) => ({
      locationId,
      importPriceEurPerKwh: [...importPriceEurPerKwh],
      exportPriceEurPerKwh: [...exportPriceEurPerKwh],
    }));
  });
  return { ...flat, locations, fees: [] };
}
