// Coordination `negotiation` (DESIGN.md M5-A): platforms and their DSO agree positions and prices by consensus ADMM.
//
// At the day-ahead gate the DSO negotiates with every platform it serves through a Transport (negotiation/README.md):
// offers (expected net position, envelope quantiles, bid curve, at the platform's step) go up, counter-offers
// (accepted position, price adder λ, committed band, at the DSO's step) come down, until the stopping rules agree,
// the round cap or the gate deadline. The PriceSchedule carries the agreed price adders: every household of feeder
// j and the platform's own location pay import = flat import + λ_j,t and receive export = flat export + λ_j,t; no
// P2P fee (one price per feeder). The DSO clips its bid to the TSO to its distribution-feasible range.

import { parseInput } from '../core/errors.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import { deriveSeed } from '../numeric/random.ts';
import { resamplePower } from '../time/resample.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { NEGOTIATION_DEFAULTS, type NegotiationOptions, negotiationOptionsSchema } from './config.ts';
import type { AgreedRange, CoordinationMechanism, DsoPricingInput, NegotiationStats } from './mechanism.ts';
import { schedulePrice } from './mechanism.ts';
import type { NegotiationRow } from './negotiation/feasible-set.ts';
import { computeFeederPositionLimits } from './negotiation/feeder-limits.ts';
import { buildPlatformData, feederRho } from './negotiation/platform-data.ts';
import {
  type GateOptions,
  type GateResult,
  runNegotiationGate,
  TSO_NEGOTIATION_ADDRESS,
} from './negotiation/run-negotiation.ts';
import type { TsoNegotiationData } from './negotiation/tso-agent.ts';
import { flatPriceSchedule } from './none.ts';

/** The `negotiation` mechanism for its options (validated, defaults merged). */
export function createNegotiationCoordination(
  options: NegotiationOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism & { readonly gates: readonly GateResult[] } {
  const resolved = { ...NEGOTIATION_DEFAULTS, ...parseInput(negotiationOptionsSchema, options ?? {}, path) };
  const gates: GateResult[] = [];
  const ranges = new Map<string, AgreedRange>();
  return {
    name: 'negotiation',
    config: { name: 'negotiation', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    gates,
    negotiationStats: () => gateStats(gates),
    agreedRange: (platformId) => ranges.get(platformId),
    priceSchedule: async (input) => {
      const { schedule, gate, platformIds } = await negotiateSchedule(input, {
        ...resolved,
        seed: input.seed,
      });
      if (gate) {
        gates.push(gate);
        recordAgreedRanges(ranges, input, gate, platformIds);
      }
      return schedule;
    },
  };
}

/** Rounds, messages and bytes summed over a run's gates, and how many closed without agreeing. */
export function gateStats(gates: readonly GateResult[]): NegotiationStats {
  return {
    rounds: gates.reduce((a, g) => a + g.rounds, 0),
    messages: gates.reduce((a, g) => a + g.messages, 0),
    bytes: gates.reduce((a, g) => a + g.bytes, 0),
    gates: gates.length,
    notConvergedGates: gates.filter((g) => g.status !== 'converged').length,
  };
}

/**
 * Keep each platform's committed range of a gate (its last agreed state), the range its members plan within. A
 * platform the gate committed no range to (closed before the DSO heard from every feeder: ±∞) has none, and its
 * members plan as under the negotiated prices alone (a range from an earlier gate does not carry over).
 */
export function recordAgreedRanges(
  ranges: Map<string, AgreedRange>,
  input: DsoPricingInput,
  gate: GateResult,
  platformIds: readonly string[],
): void {
  for (const [i, id] of platformIds.entries()) {
    const committed = gate.lowKw[i].some(Number.isFinite) || gate.highKw[i].some(Number.isFinite);
    if (!committed) {
      ranges.delete(id);
      continue;
    }
    ranges.set(id, {
      startUtc: input.index.startUtc,
      stepMin: input.index.stepMin,
      minKw: gate.lowKw[i],
      maxKw: gate.highKw[i],
    });
  }
}

/** One day-ahead gate of the DSO with its platforms and the PriceSchedule of its agreed prices. */
export async function negotiateSchedule(
  input: DsoPricingInput,
  options: Omit<GateOptions, 'seed'> & { readonly seed: number; readonly reboundShare: number },
): Promise<{ schedule: PriceSchedule; gate?: GateResult; platformIds: string[] }> {
  const flat = flatPriceSchedule(input);
  const pairs = input.locations
    .map((location, j) => ({
      location,
      j,
      feeder: input.feeders.find((f) => f.platformId === location.locationId),
    }))
    .filter((p) => p.feeder && p.feeder.members.length > 0);
  if (pairs.length === 0) return { schedule: flat, platformIds: [] };
  const n = input.index.length;
  const feeders = pairs.map(({ location, feeder }) => {
    const limits = computeFeederPositionLimits(feeder!, n);
    return {
      platformId: location.locationId,
      address: `negotiation/platform/${location.locationId}`,
      replicas: location.replicas,
      loKw: limits.loKw,
      hiKw: limits.hiKw,
      headPerNetKw: limits.headPerNetKw,
      rho: feederRho(feeder!),
    };
  });
  const platforms = pairs.map(({ feeder, j }, i) =>
    buildPlatformData(input, feeder!, j, feeders[i].rho, options.reboundShare),
  );
  const rows = networkRowsOf(
    input,
    pairs.map((p) => p.j),
    feeders,
  );
  const tso = tsoDataOf(input);
  const gate = await runNegotiationGate(
    {
      index: input.index,
      feeders,
      rows,
      upstream: tso && {
        address: TSO_NEGOTIATION_ADDRESS,
        index: tso.index,
        gspOffsetKw: input.upstream!.gspOffsetKw,
      },
    },
    platforms,
    { ...options, seed: deriveSeed(options.seed, 77) },
    input.index.startUtc,
    tso,
  );
  const locations: PriceSchedule['locations'][number][] = [];
  for (const [f, location] of input.locations.entries()) {
    const i = pairs.findIndex((p) => p.j === f);
    if (i < 0) {
      locations.push(flat.locations[f]);
      continue;
    }
    const base = flat.locations[f];
    const lambda = gate.priceEurPerMwh[i];
    const prices = {
      importPriceEurPerKwh: base.importPriceEurPerKwh.map((p, t) => schedulePrice(p + lambda[t] / KW_PER_MW)),
      exportPriceEurPerKwh: base.exportPriceEurPerKwh.map((p, t) => schedulePrice(p + lambda[t] / KW_PER_MW)),
    };
    locations.push({ locationId: location.locationId, ...prices });
    for (const m of pairs[i].feeder!.members)
      locations.push({
        locationId: m.locationId,
        importPriceEurPerKwh: [...prices.importPriceEurPerKwh],
        exportPriceEurPerKwh: [...prices.exportPriceEurPerKwh],
      });
  }
  return {
    schedule: { ...flat, locations, fees: [] },
    gate,
    platformIds: feeders.map((f) => f.platformId),
  };
}

/**
 * The DSO's MV rows on the negotiated feeders (columns of `locations` kept in `columns` order, on the members' net
 * positions through each feeder's head-per-net factor), without the rows no position inside the feeders' network
 * ranges can break.
 */
export function networkRowsOf(
  input: DsoPricingInput,
  columns: readonly number[],
  limits: readonly {
    readonly loKw: Float64Array;
    readonly hiKw: Float64Array;
    readonly headPerNetKw?: Float64Array;
  }[],
): NegotiationRow[] {
  const out: NegotiationRow[] = [];
  for (const r of input.networkRows ?? []) {
    const t = r.interval;
    // The MV network sees each feeder's head import ≈ κ·x (κ = head per net position: LV losses).
    const a = Float64Array.from(columns, (f, j) => r.coefficients[f] * (limits[j].headPerNetKw?.[t] ?? 1));
    let worst = 0;
    a.forEach((v, j) => {
      worst += Math.max(v * limits[j].loKw[t], v * limits[j].hiKw[t]);
    });
    if (worst > r.upper) out.push({ label: r.label, intervals: [t], coefficients: a, upper: r.upper });
  }
  return out;
}

/** The TSO's data for the DSO ↔ TSO level: its view and the day-ahead wholesale price on its step (mean). */
function tsoDataOf(input: DsoPricingInput): TsoNegotiationData | undefined {
  const view = input.upstream;
  if (!view || (input.index.length * input.index.stepMin) % view.stepMin !== 0) return undefined;
  const index = createTimeIndex({
    startUtc: input.index.startUtc,
    stepMin: view.stepMin,
    length: (input.index.length * input.index.stepMin) / view.stepMin,
  });
  if (view.stepMin % input.index.stepMin !== 0 || view.loadsMw.length !== index.length) return undefined;
  return {
    network: view.network,
    dsoBus: view.dsoBus,
    index,
    loadsMw: view.loadsMw,
    wholesaleEurPerMwh: resamplePower(input.wholesaleEurPerMwh, input.index, index),
  };
}
