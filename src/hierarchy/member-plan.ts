// A member's day-ahead plan at the platform step, in the pieces real-time control needs.
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import type { PlanResult } from './prosumer-scheduler.ts';

export interface MemberPlan {
  readonly netKw: Float64Array;
  readonly batteryKw: Float64Array;
  /** EV + heat pump + shiftable load power (kW). */
  readonly controllableKw: Float64Array;
  /** Share of available PV used (1 = no curtailment). */
  readonly pvUsedShare: Float64Array;
}

/** The plan of an LP schedule (or, baseline runs, of the no-EMS net injection: no battery, no curtailment). */
export function toMemberPlan(model: ProsumerModel, plan: PlanResult): MemberPlan {
  const n = model.length;
  const pvAvail = new Float64Array(n);
  for (const pv of model.pv) for (let k = 0; k < n; k++) pvAvail[k] += pv.availableKw[k];
  if (plan.kind === 'baseline') {
    const controllable = Float64Array.from(
      plan.netInjectionKw,
      (net, k) => pvAvail[k] - model.fixedLoadKw[k] - net,
    );
    return {
      netKw: plan.netInjectionKw,
      batteryKw: new Float64Array(n),
      controllableKw: controllable,
      pvUsedShare: new Float64Array(n).fill(1),
    };
  }
  const s = plan.schedule;
  const add = (records: Record<string, Float64Array>, out: Float64Array, sign = 1) => {
    for (const series of Object.values(records)) for (let k = 0; k < n; k++) out[k] += sign * series[k];
  };
  const battery = new Float64Array(n);
  add(s.batteryKw, battery);
  const controllable = new Float64Array(n);
  add(s.evChargeKw, controllable);
  add(s.heatPumpKw, controllable);
  add(s.shiftableKw, controllable);
  const pvUsed = new Float64Array(n);
  add(s.pvKw, pvUsed);
  return {
    netKw: s.netInjectionKw,
    batteryKw: battery,
    controllableKw: controllable,
    pvUsedShare: Float64Array.from(pvAvail, (a, k) => (a > 1e-9 ? Math.min(1, pvUsed[k] / a) : 1)),
  };
}
