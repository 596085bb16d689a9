// Probabilistic (chance-constrained) DLMP dispatch of a radial feeder per interval → locational PriceSchedule.
//
// A pure function of its data (README.md: formulation, equations, units, source). Per interval t, the DLMP problem
// of problems/dlmp on the series-reduced feeder with the expected uncontrollable net load n̄ and the locations'
// price-responsive flexibility as bids:
//   flexible demand e_b ∈ [0, Ē_b]: utility (a_b − m_imp)·e − ½·γ_b·e²    (m_imp = flat import − energy price)
//   curtailment     u_b ∈ [0, Ū_b]: utility m_exp·u − ½·κ_b·u²            (m_exp = energy − flat export price)
// and each limit row g(c) ≤ ḡ replaced by the sample approximation of the individual chance constraint
//   P[g(n̄ + x + ξ_s) ≤ ḡ] ≥ 1 − ε'  ⇔  g(n̄ + x) ≤ ḡ − Q_{1−ε'}(∇g·ξ_s)       (ξ_s = n_s − n̄, quantile tightening)
// where ε' starts at ε and is halved (then 0 = robust over the sample) until the in-sample *joint* violation
// frequency of the interval is ≤ ε. With ν_b = DLMP_b − energy (loss + congestion + voltage components):
//   import_b = flat import + ν_b,  export_b = flat export + ν_b,  fee(buyer b, seller s) = ν_b − ν_s.
// By the KKT conditions these prices make each prosumer's own optimum e_b = (a_b − import_b)/γ_b and
// u_b = −export_b/κ_b (clipped to their ranges) equal to the chance-constrained dispatch.
// Units: power MW, prices EUR/MWh in and in the diagnostics; the returned PriceSchedule is in EUR/kWh (its schema).
// Decomposition: intervals are independent (no inter-temporal flexibility), so one small QP per interval (and a few
// per interval for the loss-factor iteration and the risk calibration); scenarios enter only through quantiles.
import { InputError } from '../../core/errors.ts';
import { type PriceSchedule, priceScheduleSchema } from '../../core/price-schedule.ts';
import type { OptimisationStatus } from '../../core/status.ts';
import { KW_PER_MW } from '../../core/units.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import type { IndexedBid } from '../dlmp/bids.ts';
import { type DlmpProblemSpec, solveDlmpProblem } from '../dlmp/dlmp-problem.ts';
import {
  buildFeederModel,
  type FeederModel,
  lineariseFeeder,
  parentBranchRatesMva,
} from '../dlmp/linearisation.ts';
import { jointViolationFrequency, tighteningMargins } from './chance-constraints.ts';
import { reduceRadialNetwork } from './reduce-network.ts';

/** Price-responsive flexibility of one location (arrays per interval). */
export interface LocationFlexibility {
  /** Flexible demand range Ē (MW) and its marginal value at zero a (EUR/MWh); slope γ (EUR/MW²h). */
  readonly demandMaxMw: Float64Array;
  readonly demandValueEurPerMwh: Float64Array;
  readonly demandSlopeEurPerMw2h: number;
  /** Curtailable generation Ū (MW) and the slope κ (EUR/MW²h) of curtailment versus a negative export price. */
  readonly curtailMaxMw: Float64Array;
  readonly curtailSlopeEurPerMw2h: number;
}

/** A pricing location: a prosumer / connection point and the bus it hangs on. */
export interface DispatchLocation {
  readonly locationId: string;
  readonly bus: ElementId;
}

/**
 * A radial feeder with price-responsive locations and its tariff per interval (MW, EUR/MWh): the data the
 * dispatch and the closed-loop evaluation share.
 */
export interface DispatchFeeder {
  /** Radial network (the dispatch reduces it unless `reduce` is false). */
  readonly network: Network;
  readonly startUtc: string;
  readonly intervalMinutes: number;
  readonly locations: readonly DispatchLocation[];
  /** flexibility[l]; absent = none. */
  readonly flexibility?: readonly (LocationFlexibility | undefined)[];
  /** Wholesale energy price at the substation per interval (EUR/MWh). */
  readonly energyPriceEurPerMwh: ArrayLike<number>;
  /** Flat retail import and export prices per interval (EUR/MWh), the tariff without network pricing. */
  readonly flatImportEurPerMwh: ArrayLike<number>;
  readonly flatExportEurPerMwh: ArrayLike<number>;
}

/** Plain-data input of the probabilistic dispatch: a feeder, its net-load scenarios and the risk level. */
export interface ProbabilisticDispatchInput extends DispatchFeeder {
  /** netLoadMw[t][s][l]: uncontrollable net load (load − available PV, MW) of location l in scenario s. */
  readonly netLoadMw: readonly (readonly Float64Array[])[];
  /** Allowed probability ε that an interval violates any limit (0 < ε < 1). */
  readonly risk: number;
  /** Reactive consumption per MW consumed (tan φ); default 0.33 (power factor 0.95). */
  readonly reactivePerActive?: number;
  readonly reduce?: boolean;
}

export interface DispatchIntervalDiagnostics {
  readonly status: OptimisationStatus;
  /** Quantile level ε' used for the individual chance constraints after calibration. */
  readonly riskUsed: number;
  readonly inSampleViolationFrequency: number;
  readonly lossIterations: number;
  /** Planned flexible demand and curtailment per location (MW). */
  readonly demandMw: Float64Array;
  readonly curtailMw: Float64Array;
  /** Network component ν (EUR/MWh) per location. */
  readonly networkChargeEurPerMwh: Float64Array;
}

export interface ProbabilisticDispatchDiagnostics {
  readonly originalBusCount: number;
  readonly reducedBusCount: number;
  readonly decomposition: string;
  readonly scenarioCount: number;
  readonly qpCount: number;
  readonly intervals: readonly DispatchIntervalDiagnostics[];
}

/** The locational price schedule with how it was computed. */
export interface ProbabilisticDispatchResult {
  readonly schedule: PriceSchedule;
  readonly diagnostics: ProbabilisticDispatchDiagnostics;
}

const MAX_LOSS_ITERATIONS = 4;
const MAX_HALVINGS = 6;

/**
 * Locations' flexibility in interval t as DLMP bids: flexible demand valued at its value less the import margin,
 * and PV curtailment (a demand-like bid) at the export margin. `curtailCapMw` caps curtailment per location (e.g.
 * by the realised PV). `owners[g]` says which location and kind bid g is.
 */
export function buildFlexibilityBids(
  flexibility: readonly (LocationFlexibility | undefined)[],
  locationBus: Int32Array,
  t: number,
  importMarginPerMwh: number,
  exportMarginPerMwh: number,
  curtailCapMw?: ArrayLike<number>,
): { bids: IndexedBid[]; owners: { location: number; isCurtail: boolean }[] } {
  const bids: IndexedBid[] = [];
  const owners: { location: number; isCurtail: boolean }[] = [];
  flexibility.forEach((flex, location) => {
    if (!flex) return;
    if (flex.demandMaxMw[t] > 0) {
      bids.push({
        bus: locationBus[location],
        isDemand: true,
        pMinMw: 0,
        pMaxMw: flex.demandMaxMw[t],
        c1PerMwh: flex.demandValueEurPerMwh[t] - importMarginPerMwh,
        c2PerMw2H: flex.demandSlopeEurPerMw2h / 2,
      });
      owners.push({ location, isCurtail: false });
    }
    const curtailMaxMw = Math.min(
      flex.curtailMaxMw[t],
      curtailCapMw ? curtailCapMw[location] : Number.POSITIVE_INFINITY,
    );
    if (curtailMaxMw > 0) {
      bids.push({
        bus: locationBus[location],
        isDemand: true,
        pMinMw: 0,
        pMaxMw: curtailMaxMw,
        c1PerMwh: exportMarginPerMwh,
        c2PerMw2H: flex.curtailSlopeEurPerMw2h / 2,
      });
      owners.push({ location, isCurtail: true });
    }
  });
  return { bids, owners };
}

/** Solve the chance-constrained dispatch of every interval and price the locations (see the module comment). */
export async function solveProbabilisticDispatch(
  input: ProbabilisticDispatchInput,
): Promise<ProbabilisticDispatchResult> {
  validate(input);
  const reduced =
    input.reduce === false
      ? undefined
      : reduceRadialNetwork(
          input.network,
          input.locations.map((l) => l.bus),
        );
  const network = reduced?.network ?? input.network;
  const feeder = buildFeederModel(network);
  const { net } = feeder;
  const n = net.busCount;
  const locationBus = Int32Array.from(input.locations, (l, i) => {
    const bus = net.busIndexById.get(l.bus);
    if (bus === undefined)
      throw InputError.single('unknown_bus', ['locations', i, 'bus'], `no bus "${l.bus}"`);
    return bus;
  });
  const tanPhi = input.reactivePerActive ?? 0.33;
  const T = input.netLoadMw.length;
  const intervals: DispatchIntervalDiagnostics[] = [];
  let qpCount = 0;
  const parentRateMva = parentBranchRatesMva(feeder);
  const fixedNetworkLoad = Float64Array.from(net.pLoadMw, (p, i) => p - feeder.fixedGenMw[i]);
  for (let t = 0; t < T; t++) {
    const scenarios = input.netLoadMw[t];
    const S = scenarios.length;
    // Per-bus scenario net loads (network loads are replaced by the locations' scenarios).
    const busScenario = scenarios.map((perLocation) => {
      const busLoad = new Float64Array(n);
      perLocation.forEach((p, l) => {
        busLoad[locationBus[l]] += p;
      });
      return busLoad;
    });
    const mean = new Float64Array(n);
    const meanQ = new Float64Array(n);
    for (const s of busScenario)
      for (let i = 0; i < n; i++) {
        mean[i] += s[i] / S;
        meanQ[i] += (Math.max(0, s[i]) * tanPhi) / S;
      }
    const hasLocation = new Uint8Array(n);
    for (const b of locationBus) hasLocation[b] = 1;
    for (let i = 0; i < n; i++) if (!hasLocation[i]) mean[i] = fixedNetworkLoad[i];
    const energy = input.energyPriceEurPerMwh[t];
    const mImp = input.flatImportEurPerMwh[t] - energy;
    const mExp = energy - input.flatExportEurPerMwh[t];
    const { bids, owners } = buildFlexibilityBids(input.flexibility ?? [], locationBus, t, mImp, mExp);
    const spec = gridPricedSpec(feeder, parentRateMva, energy, mean, bids);
    // Loss-factor iteration at ε' = ε, then risk calibration with the linearisation frozen.
    let point = lineariseFeeder(feeder, mean, meanQ);
    let riskUsed = input.risk;
    let margins = tighteningMargins(feeder, point.voltageSensitivity, busScenario, mean, riskUsed);
    let solution = await solveDlmpProblem(feeder, point, { ...spec, margins });
    qpCount++;
    let lossIterations = 1;
    while (solution.status === 'optimal' && lossIterations < MAX_LOSS_ITERATIONS) {
      const change = solution.netLoadMw.reduce((m, c, i) => Math.max(m, Math.abs(c - point.netLoadMw[i])), 0);
      if (change < 1e-5) break;
      const q = Float64Array.from(solution.netLoadMw, (c, i) => meanQ[i] + Math.max(0, c - mean[i]) * tanPhi);
      point = lineariseFeeder(feeder, solution.netLoadMw, q);
      margins = tighteningMargins(feeder, point.voltageSensitivity, busScenario, mean, riskUsed);
      solution = await solveDlmpProblem(feeder, point, { ...spec, margins });
      qpCount++;
      lossIterations++;
    }
    let frequency =
      solution.status === 'optimal'
        ? jointViolationFrequency(feeder, point, solution, busScenario, mean, spec)
        : 1;
    for (let h = 0; h < MAX_HALVINGS && frequency > input.risk && solution.status === 'optimal'; h++) {
      riskUsed = h === MAX_HALVINGS - 1 ? 0 : riskUsed / 2;
      margins = tighteningMargins(feeder, point.voltageSensitivity, busScenario, mean, riskUsed);
      const next = await solveDlmpProblem(feeder, point, { ...spec, margins });
      qpCount++;
      if (next.status !== 'optimal') break;
      solution = next;
      frequency = jointViolationFrequency(feeder, point, solution, busScenario, mean, spec);
    }
    const L = input.locations.length;
    const demandMw = new Float64Array(L);
    const curtailMw = new Float64Array(L);
    bids.forEach((_, g) => {
      const value = Number.isFinite(solution.bidPMw[g]) ? solution.bidPMw[g] : 0;
      if (owners[g].isCurtail) curtailMw[owners[g].location] = value;
      else demandMw[owners[g].location] = value;
    });
    const networkChargeEurPerMwh = Float64Array.from(locationBus, (b) =>
      solution.status === 'optimal' ? solution.dlmpPerMwh[b] - solution.energyPerMwh : 0,
    );
    intervals.push({
      status: solution.status,
      riskUsed,
      inSampleViolationFrequency: frequency,
      lossIterations,
      demandMw,
      curtailMw,
      networkChargeEurPerMwh,
    });
  }
  const schedule = buildSchedule(input, intervals);
  return {
    schedule,
    diagnostics: {
      originalBusCount: reduced?.originalBusCount ?? input.network.buses.length,
      reducedBusCount: n,
      decomposition:
        'series-segment merging to kept (load/junction) buses; one chance-constrained QP per interval ' +
        '(loss-factor iteration + risk calibration), scenarios through per-row quantiles',
      scenarioCount: input.netLoadMw[0]?.length ?? 0,
      qpCount,
      intervals,
    },
  };
}

/**
 * The DLMP problem of one interval with the grid supply point as an unbounded supply at the energy price (the
 * dispatch prices the feeder around the wholesale price; 16-sided rating polygons). Shared with closed-loop.ts.
 */
export function gridPricedSpec(
  feeder: FeederModel,
  parentRateMva: Float64Array,
  energyEurPerMwh: number,
  fixedLoadMw: Float64Array,
  bids: readonly IndexedBid[],
): DlmpProblemSpec {
  return {
    fixedLoadMw,
    bids,
    slack: { c1PerMwh: energyEurPerMwh, c2PerMw2H: 0, pMinMw: -1e9, pMaxMw: 1e9 },
    vmMinPu: feeder.net.vmMinPu,
    vmMaxPu: feeder.net.vmMaxPu,
    parentRateMva,
    polygonSides: 16,
  };
}

function buildSchedule(
  input: ProbabilisticDispatchInput,
  intervals: readonly DispatchIntervalDiagnostics[],
): PriceSchedule {
  const T = intervals.length;
  const clamp = (v: number) => Math.max(-10, Math.min(10, v));
  const perKwh = (v: number) => clamp(v / KW_PER_MW);
  const locations = input.locations.map((l, i) => ({
    locationId: l.locationId,
    importPriceEurPerKwh: Array.from({ length: T }, (_, t) =>
      perKwh(input.flatImportEurPerMwh[t] + intervals[t].networkChargeEurPerMwh[i]),
    ),
    exportPriceEurPerKwh: Array.from({ length: T }, (_, t) =>
      perKwh(input.flatExportEurPerMwh[t] + intervals[t].networkChargeEurPerMwh[i]),
    ),
  }));
  const fees: PriceSchedule['fees'] = [];
  input.locations.forEach((buyer, b) => {
    input.locations.forEach((seller, s) => {
      if (b === s) return;
      const fee = Array.from({ length: T }, (_, t) =>
        perKwh(intervals[t].networkChargeEurPerMwh[b] - intervals[t].networkChargeEurPerMwh[s]),
      );
      if (fee.some((f) => Math.abs(f) > 1e-9)) {
        fees.push({
          buyerLocationId: buyer.locationId,
          sellerLocationId: seller.locationId,
          feeEurPerKwh: fee,
        });
      }
    });
  });
  return priceScheduleSchema.parse({
    currency: 'EUR',
    startUtc: input.startUtc,
    intervalMinutes: input.intervalMinutes,
    intervalCount: T,
    locations,
    fees,
  });
}

function validate(input: ProbabilisticDispatchInput): void {
  if (!(input.risk > 0 && input.risk < 1)) throw InputError.single('bad_risk', ['risk'], 'must be in (0, 1)');
  const T = input.netLoadMw.length;
  if (T === 0) throw InputError.single('empty', ['netLoadMw'], 'needs at least one interval');
  for (const key of ['energyPriceEurPerMwh', 'flatImportEurPerMwh', 'flatExportEurPerMwh'] as const) {
    if (input[key].length !== T)
      throw InputError.single('bad_length', [key], `needs ${T} values (one per interval)`);
  }
  input.netLoadMw.forEach((scenarios, t) => {
    if (scenarios.length === 0)
      throw InputError.single('empty', ['netLoadMw', t], 'needs at least one scenario');
    scenarios.forEach((s, k) => {
      if (s.length !== input.locations.length) {
        throw InputError.single(
          'bad_length',
          ['netLoadMw', t, k],
          `needs one value per location (${input.locations.length})`,
        );
      }
    });
  });
  if (input.flexibility && input.flexibility.length !== input.locations.length) {
    throw InputError.single('bad_length', ['flexibility'], 'needs one entry (or undefined) per location');
  }
}
