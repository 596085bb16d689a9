// Closed loop on out-of-sample scenarios: prosumers respond to a PriceSchedule, AC power flow checks the result.
//
// Mechanisms compared (README.md): (i) `flat` — flat tariff, P2P ignores the grid (no locational prices or fees);
// (ii) `dso-pricing` — the DSO's PriceSchedule; (iii) `centralised` — direct dispatch of the same flexibility per
// realised scenario with hard limits (perfect-information stochastic OPF, the efficiency bound).
// Prosumer response to prices (the same model the DSO prices against): flexible demand e = (a − import)/γ and
// curtailment u = −export/κ, clipped to their ranges; realised curtailment min(u, available PV). P2P trading is
// financial: the platform matches exports to imports (pool); with fees ν_b − ν_s every match stays profitable
// (import_b − export_s − fee = the flat gap ≥ 0), so the matched volume is min(Σ exports, Σ imports) per interval.
import type { PriceSchedule } from '../../core/price-schedule.ts';
import { KW_PER_MW } from '../../core/units.ts';
import { solveDlmpProblem } from '../dlmp/dlmp-problem.ts';
import {
  buildFeederModel,
  type FeederModel,
  lineariseFeeder,
  parentBranchRatesMva,
} from '../dlmp/linearisation.ts';
import { reduceRadialNetwork } from './reduce-network.ts';
import { buildFlexibilityBids, type DispatchFeeder, gridPricedSpec } from './solve-probabilistic-dispatch.ts';

/** Realised scenarios: [interval][scenario] → per location (MW). */
export interface ScenarioSet {
  /** Uncontrollable net load (load − available PV). */
  readonly netLoadMw: readonly (readonly Float64Array[])[];
  /** Available PV (caps the realised curtailment). */
  readonly pvMw: readonly (readonly Float64Array[])[];
}

export const COMPARED_MECHANISMS = ['flat', 'dso-pricing', 'centralised'] as const;
export type ComparedMechanism = (typeof COMPARED_MECHANISMS)[number];

export interface MechanismMetrics {
  readonly mechanism: ComparedMechanism;
  /** Substation energy cost − prosumers' flexibility surplus (EUR per day, mean over scenarios); −welfare. */
  readonly totalCostEurPerDay: number;
  readonly p2pVolumeMwhPerDay: number;
  /** Share of (interval, scenario) samples with any voltage / thermal / either violation (AC power flow). */
  readonly voltageViolationFrequency: number;
  readonly worstVoltageViolationPu: number;
  readonly thermalViolationFrequency: number;
  /** Worst loading above the rating (percent of rating over 100), 0 when none. */
  readonly worstThermalOverloadPercent: number;
  readonly anyViolationFrequency: number;
  readonly lossesMwhPerDay: number;
  readonly curtailmentMwhPerDay: number;
  /** Samples where the AC power flow did not converge (counted as violations). */
  readonly nonConvergedSamples: number;
}

const TAN_PHI = 0.33;

/**
 * Evaluate the three mechanisms on out-of-sample scenarios of a feeder, given the PriceSchedule (EUR/kWh) the
 * dispatch set for its locations (same ids, same order).
 */
export async function compareMechanisms(
  input: DispatchFeeder,
  outOfSample: ScenarioSet,
  schedule: PriceSchedule,
): Promise<MechanismMetrics[]> {
  const reduced = reduceRadialNetwork(
    input.network,
    input.locations.map((l) => l.bus),
  ).network;
  const feeder = buildFeederModel(reduced);
  const { net } = feeder;
  const locationBus = Int32Array.from(input.locations, (l) => net.busIndexById.get(l.bus)!);
  const T = outOfSample.netLoadMw.length;
  const dtH = input.intervalMinutes / 60;
  const scenarios = outOfSample.netLoadMw[0].length;
  const L = input.locations.length;
  const flexibility = input.flexibility ?? [];
  const flatNu = new Float64Array(L);
  const nuOf = (t: number) =>
    Float64Array.from(
      schedule.locations,
      (loc) => loc.importPriceEurPerKwh[t] * KW_PER_MW - input.flatImportEurPerMwh[t],
    );
  const totals = COMPARED_MECHANISMS.map((mechanism) => new Accumulator(mechanism));
  for (let t = 0; t < T; t++) {
    const nu = nuOf(t);
    const energy = input.energyPriceEurPerMwh[t];
    const mImp = input.flatImportEurPerMwh[t] - energy;
    const mExp = energy - input.flatExportEurPerMwh[t];
    for (let s = 0; s < scenarios; s++) {
      const base = outOfSample.netLoadMw[t][s];
      const pv = outOfSample.pvMw[t][s];
      const outcomes: { e: Float64Array; u: Float64Array }[] = [];
      for (const charges of [flatNu, nu]) {
        const e = new Float64Array(L);
        const u = new Float64Array(L);
        flexibility.forEach((f, l) => {
          if (!f) return;
          const importPrice = input.flatImportEurPerMwh[t] + charges[l];
          const exportPrice = input.flatExportEurPerMwh[t] + charges[l];
          e[l] = clamp(
            (f.demandValueEurPerMwh[t] - importPrice) / f.demandSlopeEurPerMw2h,
            0,
            f.demandMaxMw[t],
          );
          u[l] = Math.min(clamp(-exportPrice / f.curtailSlopeEurPerMw2h, 0, f.curtailMaxMw[t]), pv[l]);
        });
        outcomes.push({ e, u });
      }
      outcomes.push(await dispatchCentrally(feeder, input, t, base, pv, locationBus, outcomes[1]));
      outcomes.forEach(({ e, u }, m) => {
        const netLoad = Float64Array.from(base, (b, l) => b + e[l] + u[l]);
        let surplus = 0;
        flexibility.forEach((f, l) => {
          if (!f) return;
          const a = f.demandValueEurPerMwh[t] - mImp;
          surplus += a * e[l] - 0.5 * f.demandSlopeEurPerMw2h * e[l] * e[l];
          surplus += mExp * u[l] - 0.5 * f.curtailSlopeEurPerMw2h * u[l] * u[l];
        });
        totals[m].add(feeder, locationBus, netLoad, u, energy, surplus, dtH);
      });
    }
  }
  return totals.map((a) => a.finish(scenarios, T));
}

/** Centralised dispatch of one realised (interval, scenario): hard limits, linearised at the priced outcome. */
async function dispatchCentrally(
  feeder: FeederModel,
  input: DispatchFeeder,
  t: number,
  base: Float64Array,
  pv: Float64Array,
  locationBus: Int32Array,
  start: { e: Float64Array; u: Float64Array },
): Promise<{ e: Float64Array; u: Float64Array }> {
  const { net } = feeder;
  const n = net.busCount;
  const energy = input.energyPriceEurPerMwh[t];
  const mImp = input.flatImportEurPerMwh[t] - energy;
  const mExp = energy - input.flatExportEurPerMwh[t];
  const fixed = new Float64Array(n);
  base.forEach((b, l) => {
    fixed[locationBus[l]] += b;
  });
  const { bids, owners } = buildFlexibilityBids(input.flexibility ?? [], locationBus, t, mImp, mExp, pv);
  const parentRateMva = parentBranchRatesMva(feeder);
  const e = Float64Array.from(start.e);
  const u = Float64Array.from(start.u);
  let netLoad = busLoad(n, locationBus, base, e, u);
  for (let iteration = 0; iteration < 2; iteration++) {
    const point = lineariseFeeder(
      feeder,
      netLoad,
      netLoad.map((p) => Math.max(0, p) * TAN_PHI),
    );
    const solution = await solveDlmpProblem(
      feeder,
      point,
      gridPricedSpec(feeder, parentRateMva, energy, fixed, bids),
    );
    if (solution.status !== 'optimal') break;
    owners.forEach(({ location: l, isCurtail }, g) => {
      (isCurtail ? u : e)[l] = solution.bidPMw[g];
    });
    netLoad = solution.netLoadMw;
  }
  return { e, u };
}

function busLoad(
  n: number,
  locationBus: Int32Array,
  base: Float64Array,
  e: Float64Array,
  u: Float64Array,
): Float64Array {
  const out = new Float64Array(n);
  base.forEach((b, l) => {
    out[locationBus[l]] += b + e[l] + u[l];
  });
  return out;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Sums of one mechanism's AC outcomes over (interval, scenario) samples. */
class Accumulator {
  private cost = 0;
  private p2p = 0;
  private vCount = 0;
  private vWorst = 0;
  private thCount = 0;
  private thWorst = 0;
  private anyCount = 0;
  private losses = 0;
  private curtail = 0;
  private nonConverged = 0;
  private samples = 0;

  constructor(private readonly mechanism: ComparedMechanism) {}

  add(
    feeder: FeederModel,
    locationBus: Int32Array,
    netLoad: Float64Array,
    curtail: Float64Array,
    energy: number,
    surplus: number,
    dtH: number,
  ): void {
    const { net } = feeder;
    const n = net.busCount;
    const p = new Float64Array(n);
    netLoad.forEach((v, l) => {
      p[locationBus[l]] += v;
    });
    const q = p.map((v) => Math.max(0, v) * TAN_PHI);
    const ac = feeder.powerFlow.solveArrays({ pLoadMw: p, qLoadMvar: q });
    this.samples++;
    let exports = 0;
    let imports = 0;
    for (const v of netLoad) {
      if (v > 0) imports += v;
      else exports -= v;
    }
    this.p2p += Math.min(imports, exports) * dtH;
    this.curtail += curtail.reduce((a, b) => a + b, 0) * dtH;
    if (!ac.outcome.converged) {
      this.nonConverged++;
      this.anyCount++;
      return;
    }
    const slackMw = p.reduce((a, b) => a + b, 0) + ac.lossesMw;
    this.cost += (energy * slackMw - surplus) * dtH;
    this.losses += ac.lossesMw * dtH;
    let vWorst = 0;
    for (let i = 0; i < n; i++) {
      vWorst = Math.max(vWorst, net.vmMinPu[i] - ac.vmPu[i], ac.vmPu[i] - net.vmMaxPu[i]);
    }
    let thWorst = 0;
    for (let k = 0; k < net.branchCount; k++) {
      const rate = net.branchRateMva[k];
      if (!(rate > 0)) continue;
      const s = Math.max(Math.hypot(ac.pFromMw[k], ac.qFromMvar[k]), Math.hypot(ac.pToMw[k], ac.qToMvar[k]));
      thWorst = Math.max(thWorst, (100 * s) / rate - 100);
    }
    const isV = vWorst > 1e-6;
    const isTh = thWorst > 1e-4;
    if (isV) this.vCount++;
    if (isTh) this.thCount++;
    if (isV || isTh) this.anyCount++;
    this.vWorst = Math.max(this.vWorst, vWorst);
    this.thWorst = Math.max(this.thWorst, thWorst);
  }

  finish(scenarios: number, _intervals: number): MechanismMetrics {
    const perDay = (v: number) => v / scenarios;
    return {
      mechanism: this.mechanism,
      totalCostEurPerDay: perDay(this.cost),
      p2pVolumeMwhPerDay: perDay(this.p2p),
      voltageViolationFrequency: this.vCount / this.samples,
      worstVoltageViolationPu: this.vWorst,
      thermalViolationFrequency: this.thCount / this.samples,
      worstThermalOverloadPercent: this.thWorst,
      anyViolationFrequency: this.anyCount / this.samples,
      lossesMwhPerDay: perDay(this.losses),
      curtailmentMwhPerDay: perDay(this.curtail),
      nonConvergedSamples: this.nonConverged,
    };
  }
}
