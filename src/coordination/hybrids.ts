// Hybrid coordinations: predictive `mpc` fills what the other mechanism leaves open (DESIGN.md M5, issue 14 item 4).
//
// `negotiation+mpc`: the day-ahead gate negotiates as `negotiation`; when it closes without agreeing (round cap or
//   deadline — rounds late or lost on an unreliable transport), the last λ it reached may be under- or
//   over-priced: each platform then takes, per interval, the more restrictive of λ and its own MPC adder ν (the one
//   of larger magnitude; λ when they disagree in sign, the DSO seeing the whole area). A converged gate's λ stands.
// `dso-pricing+mpc`: the DSO's DLMP prices (`dso-pricing`) reach the platforms only every K = `priceUpdateHours`
//   hours (the intervals starting on a multiple of K h carry them); in the intervals between, a household keeps the
//   last DSO price unless its platform's own MPC adder ν (flat + ν) is more restrictive (higher import price when
//   both raise it, lower export price when both lower it); P2P fees lapse between updates. `betweenUpdates:
//   'hold'` keeps the last DSO price and fee throughout — `dso-pricing` alone with late prices, the situation the
//   hybrid is made for.
import { parseInput } from '../core/errors.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import {
  DSO_PRICING_DEFAULTS,
  type DsoPricingPlusMpcOptions,
  dsoPricingPlusMpcOptionsSchema,
  HYBRID_DEFAULTS,
  MPC_DEFAULTS,
  NEGOTIATION_DEFAULTS,
  type NegotiationPlusMpcOptions,
  negotiationPlusMpcOptionsSchema,
} from './config.ts';
import { computeFeederDlmpSchedule } from './dso-pricing.ts';
import type { CoordinationMechanism, DsoPricingInput } from './mechanism.ts';
import { adderSchedule, computeMpcAdders, MpcState } from './mpc.ts';
import type { GateResult } from './negotiation/run-negotiation.ts';
import { negotiateSchedule } from './negotiation.ts';
import { flatPriceSchedule } from './none.ts';

/** The `negotiation+mpc` mechanism for its options (validated, defaults merged). */
export function createNegotiationPlusMpcCoordination(
  options: NegotiationPlusMpcOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism & { readonly gates: readonly GateResult[] } {
  const resolved = {
    ...MPC_DEFAULTS,
    ...NEGOTIATION_DEFAULTS,
    ...parseInput(negotiationPlusMpcOptionsSchema, options ?? {}, path),
  };
  const state = new MpcState(resolved.forgetting);
  const gates: GateResult[] = [];
  return {
    name: 'negotiation+mpc',
    config: { name: 'negotiation+mpc', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    gates,
    observe: (rows) => state.observe(rows),
    negotiationStats: () => ({
      rounds: gates.reduce((a, g) => a + g.rounds, 0),
      messages: gates.reduce((a, g) => a + g.messages, 0),
      bytes: gates.reduce((a, g) => a + g.bytes, 0),
      gates: gates.length,
      notConvergedGates: gates.filter((g) => g.status !== 'converged').length,
    }),
    priceSchedule: async (input) => {
      const { schedule, gate } = await negotiateSchedule(input, { ...resolved, seed: input.seed });
      // The MPC model learns on every gate, whether or not it is needed.
      const adders = computeMpcAdders(input, state, resolved);
      if (!gate) return schedule;
      gates.push(gate);
      return gate.status === 'converged'
        ? schedule
        : adderSchedule(input, fillAdders(input, schedule, adders));
    },
  };
}

/** Per platform and interval the more restrictive of the negotiated λ (read off `schedule`) and the MPC ν. */
function fillAdders(
  input: DsoPricingInput,
  schedule: PriceSchedule,
  mpc: ReadonlyMap<string, Float64Array>,
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
        return Math.sign(v) * Math.sign(lambda) >= 0 && Math.abs(v) > Math.abs(lambda) ? v : lambda;
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
 * The DSO's schedule as it arrives every `updateHours` h: update intervals keep it; the others take `between`'s
 * prices (no P2P fee) or, without `between`, the latest update's prices and fees.
 */
export function latePrices(
  input: DsoPricingInput,
  dso: PriceSchedule,
  updateHours: number,
  between?: PriceSchedule,
): PriceSchedule {
  const every = Math.max(1, Math.round((updateHours * 60) / input.index.stepMin));
  const source = (t: number) => t - (t % every);
  const held = (series: readonly number[], t: number) => series[source(t)];
  // The more restrictive of the held DSO price and MPC's: the one further from the flat price on the same side.
  const restrictive = (h: number, m: number, f: number) =>
    (m - f) * (h - f) >= 0 && Math.abs(m - f) > Math.abs(h - f) ? m : h;
  const flat = flatPriceSchedule(input).locations[0];
  const pick = (series: readonly number[], other: readonly number[] | undefined, base: readonly number[]) =>
    series.map((v, t) =>
      t % every === 0 ? v : other ? restrictive(held(series, t), other[t], base[t]) : held(series, t),
    );
  const otherOf = (id: string) => between?.locations.find((l) => l.locationId === id);
  return {
    ...dso,
    locations: dso.locations.map((l) => {
      const other = between ? otherOf(l.locationId) : undefined;
      return {
        locationId: l.locationId,
        importPriceEurPerKwh: pick(
          l.importPriceEurPerKwh,
          other?.importPriceEurPerKwh,
          flat.importPriceEurPerKwh,
        ),
        exportPriceEurPerKwh: pick(
          l.exportPriceEurPerKwh,
          other?.exportPriceEurPerKwh,
          flat.exportPriceEurPerKwh,
        ),
      };
    }),
    fees: dso.fees.map((f) => ({
      ...f,
      feeEurPerKwh: f.feeEurPerKwh.map((v, t) =>
        t % every === 0 ? v : between ? 0 : held(f.feeEurPerKwh, t),
      ),
    })),
  };
}
