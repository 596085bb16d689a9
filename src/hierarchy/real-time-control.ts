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

/**
 * Controllable loads follow the plan, PV is curtailed in the planned share, and the battery absorbs the deviation
 * of the actual from the planned net power within its power and energy limits. `stepsPerPlanInterval` prosumer
 * steps of `dtH` hours make one plan interval; the battery starts at `batteryStartKwh` (default its initial energy).
 */
export function controlMemberDay(
  model: ProsumerModel,
  plan: MemberPlan,
  actual: { readonly loadKw: Float64Array; readonly pvKw: Float64Array },
  batteryStartKwh: number | undefined,
  dtH: number,
  stepsPerPlanInterval: number,
): MemberRealTimeDay {
  const n = actual.loadKw.length;
  const bat = equivalentBattery(model);
  let energy = bat ? (batteryStartKwh ?? bat.initialKwh) : 0;
  if (bat) energy = Math.min(bat.maxKwh, Math.max(bat.minKwh, energy));
  const day = {
    netInjectionKw: new Float64Array(n),
    consumptionKw: new Float64Array(n),
    controllableKw: new Float64Array(n),
    pvUsedKw: new Float64Array(n),
    batteryKw: new Float64Array(n),
    batteryEnergyKwh: new Float64Array(n),
  };
  let worst = 0;
  for (let k = 0; k < n; k++) {
    const K = Math.floor(k / stepsPerPlanInterval);
    const pvUsed = actual.pvKw[k] * plan.pvUsedShare[K];
    const load = actual.loadKw[k];
    const controllable = plan.controllableKw[K];
    const withoutBattery = pvUsed - load - controllable;
    let battery = 0;
    if (bat) {
      const plannedWithout = plan.netKw[K] - plan.batteryKw[K];
      const wanted = plan.batteryKw[K] - (withoutBattery - plannedWithout);
      const maxDischarge = Math.min(bat.dischargeKw, ((energy - bat.minKwh) * bat.etaDischarge) / dtH);
      const maxCharge = Math.min(bat.chargeKw, (bat.maxKwh - energy) / (bat.etaCharge * dtH));
      battery = Math.min(Math.max(wanted, -Math.max(0, maxCharge)), Math.max(0, maxDischarge));
      energy += battery >= 0 ? (-battery / bat.etaDischarge) * dtH : -battery * bat.etaCharge * dtH;
    }
    const net = withoutBattery + battery;
    day.netInjectionKw[k] = net;
    day.consumptionKw[k] = load + controllable;
    day.controllableKw[k] = controllable;
    day.pvUsedKw[k] = pvUsed;
    day.batteryKw[k] = battery;
    day.batteryEnergyKwh[k] = bat ? energy : 0;
    const residual = net - (pvUsed + battery - load - controllable);
    if (Math.abs(residual) > Math.abs(worst)) worst = residual;
  }
  return { ...day, worstResidualKw: worst, ...(bat ? { batteryEndKwh: energy } : {}) };
}
