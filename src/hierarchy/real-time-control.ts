// A member's real-time control at the prosumer step: follow the plan, curtail PV as planned, battery absorbs deviations.
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import type { MemberPlan } from './member-plan.ts';

interface EquivalentBattery {
  readonly minKwh: number;
  readonly maxKwh: number;
  readonly initialKwh: number;
  readonly chargeKw: number;
  readonly dischargeKw: number;
  readonly etaCharge: number;
  readonly etaDischarge: number;
}

/** All of a member's batteries as one (sums of energies and powers, the first battery's efficiencies). */
function equivalentBattery(model: ProsumerModel): EquivalentBattery | null {
  if (model.batteries.length === 0) return null;
  const s = (f: (b: ProsumerModel['batteries'][number]) => number) =>
    model.batteries.reduce((a, b) => a + f(b), 0);
  return {
    minKwh: s((b) => b.energyMinKwh),
    maxKwh: s((b) => b.energyMaxKwh),
    initialKwh: s((b) => b.energyInitialKwh),
    chargeKw: s((b) => b.chargeKw),
    dischargeKw: s((b) => b.dischargeKw),
    etaCharge: model.batteries[0].chargeEfficiency,
    etaDischarge: model.batteries[0].dischargeEfficiency,
  };
}

/** What a member did over a day at the prosumer step (kW, battery energy kWh; 0 without a battery). */
export interface MemberRealTimeDay {
  readonly netInjectionKw: Float64Array;
  readonly consumptionKw: Float64Array;
  readonly controllableKw: Float64Array;
  readonly pvUsedKw: Float64Array;
  readonly batteryKw: Float64Array;
  readonly batteryEnergyKwh: Float64Array;
  /** The largest |net − (PV used + battery − load − controllable)| of the day, with its sign (kW). */
  readonly worstResidualKw: number;
  /** Battery energy at the end of the day (kWh), undefined without a battery. */
  readonly batteryEndKwh?: number;
}

/** A member's self-control in one prosumer step, before any balancing dispatch (kW). */
export interface MemberStep {
  /** Net injection after the battery absorbed what it could of the deviation from the target. */
  readonly netKw: number;
  /** The member's target net injection in this step (plan, shifted by its intraday trades). */
  readonly targetKw: number;
  /** Battery power left for balancing: extra discharge (up) and extra charge (down), within power and energy. */
  readonly upKw: number;
  readonly downKw: number;
}

/**
 * Real-time control of one member, step by step: controllable loads follow the plan, PV is curtailed in the
 * planned share, and the battery absorbs the deviation of the actual from the target net power (the plan's net
 * injection plus `targetShiftKw`, the member's intraday trades) within its power and energy limits. `step(k)`
 * returns what it did and the battery headroom left; `commit(k, extraKw)` adds a balancing dispatch (+ discharge,
 * within that headroom) and books the step. `stepsPerPlanInterval` prosumer steps of `dtH` hours make one plan
 * interval; the battery starts at `batteryStartKwh` (default its initial energy).
 */
export class MemberController {
  private readonly bat: EquivalentBattery | null;
  private energy: number;
  private readonly day: Omit<MemberRealTimeDay, 'worstResidualKw' | 'batteryEndKwh'>;
  private worst = 0;
  private pending?: {
    k: number;
    withoutBattery: number;
    battery: number;
    pvUsed: number;
    load: number;
    controllable: number;
  };

  constructor(
    model: ProsumerModel,
    private readonly plan: MemberPlan,
    private readonly actual: { readonly loadKw: Float64Array; readonly pvKw: Float64Array },
    batteryStartKwh: number | undefined,
    private readonly dtH: number,
    private readonly stepsPerPlanInterval: number,
    private readonly targetShiftKw?: ArrayLike<number>,
  ) {
    const n = actual.loadKw.length;
    this.bat = equivalentBattery(model);
    const bat = this.bat;
    this.energy = bat ? Math.min(bat.maxKwh, Math.max(bat.minKwh, batteryStartKwh ?? bat.initialKwh)) : 0;
    this.day = {
      netInjectionKw: new Float64Array(n),
      consumptionKw: new Float64Array(n),
      controllableKw: new Float64Array(n),
      pvUsedKw: new Float64Array(n),
      batteryKw: new Float64Array(n),
      batteryEnergyKwh: new Float64Array(n),
    };
  }

  step(k: number): MemberStep {
    const K = Math.floor(k / this.stepsPerPlanInterval);
    const plan = this.plan;
    const pvUsed = this.actual.pvKw[k] * plan.pvUsedShare[K];
    const load = this.actual.loadKw[k];
    const controllable = plan.controllableKw[K];
    const withoutBattery = pvUsed - load - controllable;
    const targetKw = plan.netKw[K] + (this.targetShiftKw?.[K] ?? 0);
    let battery = 0;
    let upKw = 0;
    let downKw = 0;
    const bat = this.bat;
    if (bat) {
      const maxDischarge = Math.max(
        0,
        Math.min(bat.dischargeKw, ((this.energy - bat.minKwh) * bat.etaDischarge) / this.dtH),
      );
      const maxCharge = Math.max(
        0,
        Math.min(bat.chargeKw, (bat.maxKwh - this.energy) / (bat.etaCharge * this.dtH)),
      );
      battery = Math.min(Math.max(targetKw - withoutBattery, -maxCharge), maxDischarge);
      upKw = maxDischarge - battery;
      downKw = battery + maxCharge;
    }
    this.pending = { k, withoutBattery, battery, pvUsed, load, controllable };
    return { netKw: withoutBattery + battery, targetKw, upKw, downKw };
  }

  commit(k: number, extraKw = 0): void {
    const p = this.pending;
    if (!p || p.k !== k) throw new Error(`commit(${k}) without step(${k})`);
    this.pending = undefined;
    const battery = p.battery + extraKw;
    const bat = this.bat;
    if (bat)
      this.energy +=
        battery >= 0 ? (-battery / bat.etaDischarge) * this.dtH : -battery * bat.etaCharge * this.dtH;
    const net = p.withoutBattery + battery;
    const d = this.day;
    d.netInjectionKw[k] = net;
    d.consumptionKw[k] = p.load + p.controllable;
    d.controllableKw[k] = p.controllable;
    d.pvUsedKw[k] = p.pvUsed;
    d.batteryKw[k] = battery;
    d.batteryEnergyKwh[k] = bat ? this.energy : 0;
    const residual = net - (p.pvUsed + battery - p.load - p.controllable);
    if (Math.abs(residual) > Math.abs(this.worst)) this.worst = residual;
  }

  finish(): MemberRealTimeDay {
    return { ...this.day, worstResidualKw: this.worst, ...(this.bat ? { batteryEndKwh: this.energy } : {}) };
  }
}

/** A whole day of self-control without balancing dispatch (`MemberController` step by step). */
export function controlMemberDay(
  model: ProsumerModel,
  plan: MemberPlan,
  actual: { readonly loadKw: Float64Array; readonly pvKw: Float64Array },
  batteryStartKwh: number | undefined,
  dtH: number,
  stepsPerPlanInterval: number,
): MemberRealTimeDay {
  const c = new MemberController(model, plan, actual, batteryStartKwh, dtH, stepsPerPlanInterval);
  for (let k = 0; k < actual.loadKw.length; k++) {
    c.step(k);
    c.commit(k);
  }
  return c.finish();
}
