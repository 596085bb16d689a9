// The DSO's MV network model: fixed MV loads on the load shape and the AC power flow with its feeders as loads.
import { kwToMw, mwToKw } from '../core/units.ts';
import { type PreparedPowerFlow, preparePowerFlow } from '../problems/power-flow/index.ts';
import type { DsoModel } from './system-model.ts';

/** Reactive consumption per kW assumed for planning flows (power factor 0.95). */
export const PLANNING_TAN_PHI = 0.33;

/** One MV power flow: grid-supply-point import, losses, branch flows (kW) and voltage / loading extremes. */
export interface MvState {
  readonly gspKw: number;
  readonly lossesKw: number;
  readonly branchPKw: Float64Array;
  /** |V| per bus (p.u., order of `busVmLimits`). */
  readonly vmPu: Float64Array;
  readonly vmMin: number;
  readonly vmMax: number;
  readonly maxLoadingPercent: number;
}

/** The MV network of one DSO at the DSO step: each feeder a load at its MV bus × replicas (NR power flow). */
export class MvGrid {
  private readonly powerFlow: PreparedPowerFlow;
  private readonly busIndex: Map<string, number>;
  private readonly inService: DsoModel['network']['branches'];
  /** Active power limit of each in-service branch (kW; +∞ when unrated). */
  readonly rateKw: Float64Array;

  constructor(
    private readonly dso: DsoModel,
    private readonly stepMin: number,
    activePowerRatingShare: number,
  ) {
    this.powerFlow = preparePowerFlow(dso.network, { method: 'nr' });
    this.busIndex = new Map(this.powerFlow.busIds.map((id, i) => [String(id), i]));
    this.inService = dso.network.branches.filter((b) => b.inService);
    this.rateKw = Float64Array.from(this.inService, (b) =>
      b.rateAMva > 0 ? mwToKw(b.rateAMva) * activePowerRatingShare : Number.POSITIVE_INFINITY,
    );
  }

  /** Voltage limits per bus (p.u., the order of MvState.vmPu). */
  get busVmLimits(): { readonly vmMinPu: Float64Array; readonly vmMaxPu: Float64Array } {
    return this.powerFlow.indexed;
  }

  /** Fixed MV loads of DSO interval k per bus (kW, kVAr): case loads × the DSO's hourly load shape. */
  fixedLoadKw(k: number): { pKw: Map<string, number>; qKvar: Map<string, number> } {
    const hour = Math.floor((k * this.stepMin) / 60);
    const shape = this.dso.loadShape[hour % 24];
    const pKw = new Map<string, number>();
    const qKvar = new Map<string, number>();
    for (const l of this.dso.fixedLoads) {
      const bus = String(l.bus);
      pKw.set(bus, (pKw.get(bus) ?? 0) + mwToKw(l.pMw) * shape);
      qKvar.set(bus, (qKvar.get(bus) ?? 0) + mwToKw(l.qMvar) * shape);
    }
    return { pKw, qKvar };
  }

  /** Total fixed MV load of each of the first n DSO intervals (kW). */
  fixedLoadTotalsKw(n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push([...this.fixedLoadKw(k).pKw.values()].reduce((a, b) => a + b, 0));
    return out;
  }

  /** MV power flow with fixed loads and feeder heads (kW per replica, multiplied by replicas). */
  solve(k: number, feederKw: readonly number[], feederKvar: readonly number[]): MvState {
    const size = this.powerFlow.busIds.length;
    const pLoadMw = new Float64Array(size);
    const qLoadMvar = new Float64Array(size);
    const fixed = this.fixedLoadKw(k);
    for (const [bus, p] of fixed.pKw) pLoadMw[this.busIndex.get(bus)!] += kwToMw(p);
    for (const [bus, q] of fixed.qKvar) qLoadMvar[this.busIndex.get(bus)!] += kwToMw(q);
    this.dso.feeders.forEach((f, j) => {
      const i = this.busIndex.get(String(f.parentBus))!;
      pLoadMw[i] += kwToMw(feederKw[j] * f.replicas);
      qLoadMvar[i] += kwToMw(feederKvar[j] * f.replicas);
    });
    const r = this.powerFlow.solveArrays({ pLoadMw, qLoadMvar });
    let vmMin = Number.POSITIVE_INFINITY;
    let vmMax = 0;
    for (let i = 0; i < size; i++) {
      vmMin = Math.min(vmMin, r.vmPu[i]);
      vmMax = Math.max(vmMax, r.vmPu[i]);
    }
    let maxLoading = 0;
    this.inService.forEach((b, m) => {
      if (b.rateAMva > 0)
        maxLoading = Math.max(
          maxLoading,
          (100 * Math.max(Math.hypot(r.pFromMw[m], r.qFromMvar[m]), Math.hypot(r.pToMw[m], r.qToMvar[m]))) /
            b.rateAMva,
        );
    });
    return {
      gspKw: mwToKw(r.pGenMw.reduce((a, b) => a + b, 0)),
      lossesKw: mwToKw(r.lossesMw),
      branchPKw: Float64Array.from(r.pFromMw, mwToKw),
      vmPu: Float64Array.from(r.vmPu),
      vmMin,
      vmMax,
      maxLoadingPercent: maxLoading,
    };
  }
}
