// Hybrid coordinations: predictive `mpc` fills what the other mechanism leaves open (DESIGN.md M5, issue 14 item 4).
//
// `negotiation+mpc`: the day-ahead gate negotiates as `negotiation`; when it closes without agreeing (round cap or
//   deadline — rounds late or lost on an unreliable transport), a platform the DSO committed a range to keeps λ
//   and plans within the range (the DSO's box lies inside its feasible set, so the network rows hold for any
//   position in it — a guarantee the platform's own model cannot better: on stressed seeds 21–23 with 40 % loss
//   the ranges kept every limit, while the MPC models judged most of them unsafe). A platform left without a
//   range (the gate closed before the DSO heard from every feeder) takes, per interval, the more restrictive of
//   λ and its own MPC adder ν (the one of larger magnitude; λ when they disagree in sign, the DSO seeing the
//   whole area). A converged gate's λ stands.
// `dso-pricing+mpc`: the DSO's DLMP prices (`dso-pricing`) reach the platforms only every K = `priceUpdateHours`
//   hours (the intervals starting on a multiple of K h carry them); in every interval, a household has the latest
//   DSO price unless its platform's own MPC adder ν (flat + ν) is more restrictive (higher import price when both
//   raise it, lower export price when both lower it), and then no P2P fee. MPC is consulted in the update
//   intervals too, not only between them: on stressed seeds 2, 3, 21, 22, 23 that gave fewer violation intervals
//   and higher welfare on every seed than MPC between updates only (README, issue 14). `betweenUpdates: 'hold'`
//   keeps the latest DSO price and fee throughout — `dso-pricing` alone with late prices, the situation the hybrid
//   is made for.
import { parseInput } from '../core/errors.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import {
  DSO_PRICING_DEFAULTS,
  type DsoPricingPlusMpcOptions,
  dsoPricingPlusMpcOptionsSchema,
  HYBRID_DEFAULTS,
  MPC_DEFAULTS,
  type NegotiationPlusMpcOptions,
  negotiationPlusMpcDefaults,
  negotiationPlusMpcOptionsSchema,
} from './config.ts';
import { computeFeederDlmpSchedule } from './dso-pricing.ts';
import type { AgreedRange, CoordinationMechanism, DsoPricingInput } from './mechanism.ts';
import { adderSchedule, computeMpcAdders, MpcState } from './mpc.ts';
import type { GateResult } from './negotiation/run-negotiation.ts';
import { gateStats, negotiateSchedule, recordAgreedRanges } from './negotiation.ts';
import { flatPriceSchedule } from './none.ts';

/** The `negotiation+mpc` mechanism for its options (validated, defaults merged). */
export function createNegotiationPlusMpcCoordination(
  options: NegotiationPlusMpcOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism & { readonly gates: readonly GateResult[] } {
  const resolved = {
    ...negotiationPlusMpcDefaults(),
    ...parseInput(negotiationPlusMpcOptionsSchema, options ?? {}, path),
  };
  const mpcOptions = { ...resolved, reboundShare: resolved.mpcReboundShare };
  const state = new MpcState(resolved.forgetting);
  const gates: GateResult[] = [];
  const ranges = new Map<string, AgreedRange>();
  return {
    name: 'negotiation+mpc',
    config: { name: 'negotiation+mpc', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    gates,
    agreedRange: (platformId) => ranges.get(platformId),
    observe: (rows) => state.observe(rows),
    negotiationStats: () => gateStats(gates),
    priceSchedule: async (input) => {
      const { schedule, gate, platformIds } = await negotiateSchedule(input, {
        ...resolved,
        seed: input.seed,
      });
      // The MPC model learns on every gate, whether or not it is needed.
      const adders = computeMpcAdders(input, state, mpcOptions);
      if (!gate) return schedule;
      gates.push(gate);
      recordAgreedRanges(ranges, input, gate, platformIds);
      // Converged, or every platform has a committed range: the negotiation's schedule (fees included) stands.
      if (gate.status === 'converged' || platformIds.every((id) => ranges.has(id))) return schedule;
      return adderSchedule(input, fillAdders(input, schedule, adders, ranges));
    },
  };
}

/**
 * Per platform the negotiated λ (read off `schedule`) where the gate committed a range to it, otherwise per
 * interval the more restrictive of λ and the MPC ν.
 */
export function fillAdders(
  input: DsoPricingInput,
  schedule: PriceSchedule,
  mpc: ReadonlyMap<string, Float64Array>,
  ranges: ReadonlyMap<string, AgreedRange>,
): Map<string, Float64Array> {
  const flat = flatPriceSchedule(input);
  const out = new Map<string, Float64Array>();
  for (const [platformId, nu] of mpc) {
    const agreed = schedule.locations.find((l) => l.locationId === platformId)!.importPriceEurPerKwh;
    const base = flat.locations.find((l) => l.locationId === platformId)!.importPriceEurPerKwh;
    out.set(
      platformId,
      Float64Array.from(nu, (v, t) => {
        const lambda = (agreed[t] - base[t]) * KW_PER_MW;
        const restrictive = Math.sign(v) * Math.sign(lambda) >= 0 && Math.abs(v) > Math.abs(lambda);
        return restrictive && !ranges.has(platformId) ? v : lambda;
      }),
    );
  }
  return out;
}

/** The `dso-pricing+mpc` mechanism for its options (validated, defaults merged). */
export function createDsoPricingPlusMpcCoordination(
  options: DsoPricingPlusMpcOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism {
  const resolved = {
    ...MPC_DEFAULTS,
    ...DSO_PRICING_DEFAULTS,
    ...HYBRID_DEFAULTS,
    ...parseInput(dsoPricingPlusMpcOptionsSchema, options ?? {}, path),
  };
  const state = new MpcState(resolved.forgetting);
  return {
    name: 'dso-pricing+mpc',
    config: { name: 'dso-pricing+mpc', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    observe: (rows) => state.observe(rows),
    negotiationStats: () => ({ rounds: 0, messages: 0, bytes: 0 }),
    priceSchedule: async (input) => {
      const dso = await computeFeederDlmpSchedule(input, {
        riskLevel: resolved.riskLevel,
        scenarioCount: resolved.scenarioCount,
      });
      const between =
        resolved.betweenUpdates === 'mpc'
          ? adderSchedule(input, computeMpcAdders(input, state, resolved))
          : undefined;
      return latePrices(input, dso, resolved.priceUpdateHours, between);
    },
  };
}

/**
 * The DSO's schedule as it arrives every `updateHours` h: a platform and all its households have the latest
 * update's prices and fees (an update interval its own), unless `between` (MPC) is more restrictive for the
 * platform (its import adder further from flat on the same side as the DSO's): then the whole platform takes
 * `between`'s prices and no P2P fee in that interval, so one pool never mixes the two (no meter arbitrage).
 */
export function latePrices(
  input: DsoPricingInput,
  dso: PriceSchedule,
  updateHours: number,
  between?: PriceSchedule,
): PriceSchedule {
  const every = Math.max(1, Math.round((updateHours * 60) / input.index.stepMin));
  const held = (series: readonly number[], t: number) => series[series.length > 0 ? t - (t % every) : 0];
  const flat = flatPriceSchedule(input).locations[0].importPriceEurPerKwh;
  const find = (s: PriceSchedule | undefined, id: string) => s?.locations.find((l) => l.locationId === id);
  const platformOf = new Map<string, string>();
  for (const f of input.feeders) {
    platformOf.set(f.platformId, f.platformId);
    for (const m of f.members) platformOf.set(m.locationId, f.platformId);
  }
  // Per platform, the intervals MPC prices.
  const mpcIntervals = new Map<string, boolean[]>();
  for (const f of input.feeders) {
    const own = find(dso, f.platformId);
    const mpc = find(between, f.platformId);
    if (!own || !mpc) continue;
    mpcIntervals.set(
      f.platformId,
      own.importPriceEurPerKwh.map((_, t) => {
        const h = held(own.importPriceEurPerKwh, t) - flat[t];
        const m = mpc.importPriceEurPerKwh[t] - flat[t];
        return m * h >= 0 && Math.abs(m) > Math.abs(h);
      }),
    );
  }
  const usesMpc = (id: string, t: number) => mpcIntervals.get(platformOf.get(id) ?? '')?.[t] ?? false;
  return {
    ...dso,
    locations: dso.locations.map((l) => {
      const mpc = find(between, l.locationId);
      const pick = (series: readonly number[], other: readonly number[] | undefined) =>
        series.map((v, t) =>
          other && usesMpc(l.locationId, t) ? other[t] : t % every === 0 ? v : held(series, t),
        );
      return {
        locationId: l.locationId,
        importPriceEurPerKwh: pick(l.importPriceEurPerKwh, mpc?.importPriceEurPerKwh),
        exportPriceEurPerKwh: pick(l.exportPriceEurPerKwh, mpc?.exportPriceEurPerKwh),
      };
    }),
    fees: dso.fees.map((f) => ({
      ...f,
      feeEurPerKwh: f.feeEurPerKwh.map((v, t) =>
        usesMpc(f.buyerLocationId, t) ? 0 : t % every === 0 ? v : held(f.feeEurPerKwh, t),
      ),
    })),
  };
}
