// Coordination `centralised`: the whole-system reference — one optimisation per gate and DSO area, its dispatch sent
// down as prices and agreed ranges.
//
// At the day-ahead gate, on the same point forecasts every mechanism sees (no uncertainty margin), the DSO area's
// problem over all members' flexibility on all its feeders (centralised/whole-system-dispatch.ts): issue 6's
// quadratic EV demand and PV curtailment at the flat tariff of the wholesale price the TSO's DC OPF cleared for the
// DSO, each feeder's net position within its LV range (negotiation/feeder-limits.ts: LinDistFlow voltage limits,
// transformer limit refined on the AC sweep) and, when the DSO passes them (`DsoPricingInput.networkRows`, the rows
// negotiation uses), shared rows over the feeders' positions (MV branch and voltage limits linearised at the plan). It is the problem negotiation
// decomposes by ADMM, solved in one piece and without the envelope tightening.
// What goes down: per feeder j the price adder ν_j (households: import = flat import + ν, export = flat export + ν,
// no P2P fee; on the DSO step, the mean over its platform intervals) and, per platform interval t, the agreed range
// its members then plan within (markets/flexible-pool.ts PoolNetImportLimits): [lo_j,t, hi_j,t] with the bound on
// the side the optimum pushes against replaced by the optimum's position x*_j,t (hi' = x* when ν > 0, lo' = x* when
// ν < 0), and the other side kept within the feeder's equal share of every shared row's slack at x*
// (`rowHeadroomKw`), so every LV and shared row holds whatever plan the members choose within their ranges (a
// member that cannot charge in a capped interval moves the energy to another one, which must not break a row
// there either). The DSO clips its bid to the TSO to its MV-feasible range.
import type { PriceSchedule } from '../core/price-schedule.ts';
import { resampleSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import {
  type DispatchFeeder,
  rowHeadroomKw,
  solveWholeSystemDispatch,
} from './centralised/whole-system-dispatch.ts';
import type { AgreedRange, CoordinationMechanism, DsoPricingInput } from './mechanism.ts';
import { schedulePrice } from './mechanism.ts';
import { computeFeederPositionLimits } from './negotiation/feeder-limits.ts';
import { buildPlatformData, platformIndexOf } from './negotiation/platform-data.ts';
import { networkRowsOf } from './negotiation.ts';
import { flatPriceSchedule } from './none.ts';

export interface CentralisedGate {
  readonly schedule: PriceSchedule;
  /** Agreed range per platform id (platform step). */
  readonly ranges: ReadonlyMap<string, AgreedRange>;
  /** Dispatched position and price adder per platform id (kW per replica, EUR/MWh; platform step). */
  readonly positionKw: ReadonlyMap<string, Float64Array>;
  readonly adderEurPerMwh: ReadonlyMap<string, Float64Array>;
}

/** One gate of the centralised reference for a DSO area (module comment). */
export function computeCentralisedGate(input: DsoPricingInput): CentralisedGate {
  const fine = platformIndexOf(input);
  const ratio = fine.length / input.index.length;
  const flat = resampleSchedule(flatPriceSchedule(input), fine.stepMin);
  const pairs = input.locations.flatMap((location, f) => {
    const feeder = input.feeders.find((x) => x.platformId === location.locationId);
    return feeder && feeder.members.length > 0 ? [{ location, f, feeder }] : [];
  });
  const limits = pairs.map(({ feeder }) => computeFeederPositionLimits(feeder, input.index.length));
  const at = (v: Float64Array) =>
    Float64Array.from({ length: fine.length }, (_, t) => v[Math.floor(t / ratio)]);
  const feeders: DispatchFeeder[] = pairs.map(({ location, feeder }, j) => ({
    replicas: location.replicas,
    data: buildPlatformData(input, feeder, j, 1),
    loKw: at(limits[j].loKw),
    hiKw: at(limits[j].hiKw),
  }));
  // The DSO's MV rows (the ones negotiation uses, Σ_j a_j·x_j ≤ upper in one DSO interval) on every platform
  // interval inside it; a_j per replica, hence c_j = a_j / R_j in the dispatch's Σ_j c_j·R_j·x_j.
  const rows = networkRowsOf(
    input,
    pairs.map((p) => p.f),
    limits,
  ).map((r) => {
    const upperKw = new Float64Array(fine.length).fill(Number.POSITIVE_INFINITY);
    for (const k of r.intervals) upperKw.fill(r.upper, k * ratio, (k + 1) * ratio);
    return {
      coefficients: Float64Array.from(r.coefficients, (a, j) => a / pairs[j].location.replicas),
      lowerKw: new Float64Array(fine.length).fill(Number.NEGATIVE_INFINITY),
      upperKw,
    };
  });
  const dispatch = solveWholeSystemDispatch(feeders, rows);
  const headroom = rowHeadroomKw(feeders, rows, dispatch.positionKw);
  const ranges = new Map<string, AgreedRange>();
  const positionKw = new Map<string, Float64Array>();
  const adderEurPerMwh = new Map<string, Float64Array>();
  const locations = [...flat.locations];
  pairs.forEach(({ location, f, feeder }, j) => {
    const x = dispatch.positionKw[j];
    const nu = dispatch.adderEurPerMwh[j];
    const { loKw, hiKw } = feeders[j];
    ranges.set(location.locationId, {
      startUtc: fine.startUtc,
      stepMin: fine.stepMin,
      minKw: Float64Array.from(x, (v, t) => (nu[t] < 0 ? v : Math.max(loKw[t], v - headroom.downKw[j][t]))),
      maxKw: Float64Array.from(x, (v, t) =>
        nu[t] > 0 ? v : Math.min(Math.max(loKw[t], hiKw[t]), v + headroom.upKw[j][t]),
      ),
    });
    positionKw.set(location.locationId, x);
    adderEurPerMwh.set(location.locationId, nu);
    const base = flat.locations[f];
    const add = (prices: readonly number[]) => prices.map((p, t) => schedulePrice(p + nu[t] / KW_PER_MW));
    const priced = (locationId: string) => ({
      locationId,
      importPriceEurPerKwh: add(base.importPriceEurPerKwh),
      exportPriceEurPerKwh: add(base.exportPriceEurPerKwh),
    });
    locations[f] = priced(location.locationId);
    for (const m of feeder.members) locations.push(priced(m.locationId));
  });
  // On the DSO's step (the port's contract): each DSO interval's time-weighted mean of its platform intervals.
  const schedule = resampleSchedule({ ...flat, locations, fees: [] }, input.index.stepMin);
  return { schedule, ranges, positionKw, adderEurPerMwh };
}

/** The centralised reference's PriceSchedule for a DSO area. */
export async function computeCentralisedSchedule(input: DsoPricingInput): Promise<PriceSchedule> {
  return computeCentralisedGate(input).schedule;
}

/** The `centralised` mechanism (no options): prices and agreed ranges of the whole-system dispatch. */
export function createCentralisedCoordination(): CoordinationMechanism {
  const ranges = new Map<string, AgreedRange>();
  return {
    name: 'centralised',
    config: { name: 'centralised' },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    agreedRange: (platformId) => ranges.get(platformId),
    priceSchedule: async (input) => {
      const gate = computeCentralisedGate(input);
      for (const [id, range] of gate.ranges) ranges.set(id, range);
      return gate.schedule;
    },
  };
}
