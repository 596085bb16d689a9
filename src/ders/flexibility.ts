// A prosumer's flexibility offer per interval: the feasible net-power envelope around its schedule and a bid curve.
import type { ProsumerModel } from './prosumer-model.ts';
import type { ProsumerSchedule } from './schedule-prosumer.ts';

/** One step of a bid curve: extra export offered (`sell`) or extra import wanted (`buy`) at a limit price. */
export interface FlexibilityBid {
  readonly side: 'sell' | 'buy';
  readonly kw: number;
  /** Sell at prices ≥ this, buy at prices ≤ this (EUR/kWh). */
  readonly limitPriceEurPerKwh: number;
}

/** Flexibility per interval (net injection, kW, positive exporting). */
export interface FlexibilityOffer {
  readonly id: string;
  readonly baseKw: Float64Array;
  readonly minKw: Float64Array;
  readonly maxKw: Float64Array;
  /** Marginal value of energy at the meter from the schedule's duals (EUR/kWh). */
  readonly marginalValueEurPerKwh: Float64Array;
}

/**
 * The envelope of net injection reachable in each interval by deviating from the schedule in that interval only,
 * given the storage and thermal states the schedule reaches at its start: PV down to zero if curtailable; battery
 * and EV power within converter limits and the energy headroom of one interval; EV and shiftable-load minimum
 * power so that their remaining energy stays deliverable at full power later; heat-pump power that keeps the room
 * inside the comfort band at the end of the interval; all clipped to the connection limits. Later intervals must
 * absorb a deviation (re-schedule); the envelope does not certify that a sequence of deviations stays feasible.
 */
export function flexibilityOffer(model: ProsumerModel, schedule: ProsumerSchedule): FlexibilityOffer {
  const n = model.length;
  const dt = model.stepH;
  const minKw = new Float64Array(n);
  const maxKw = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let lo = -model.fixedLoadKw[k];
    let hi = -model.fixedLoadKw[k];
    for (const pv of model.pv) {
      hi += pv.availableKw[k];
      lo += pv.isCurtailable ? 0 : pv.availableKw[k];
    }
    for (const bat of model.batteries) {
      const e = k === 0 ? bat.energyInitialKwh : schedule.batteryEnergyKwh[bat.id][k - 1];
      hi += Math.max(0, Math.min(bat.dischargeKw, ((e - bat.energyMinKwh) * bat.dischargeEfficiency) / dt));
      lo -= Math.max(0, Math.min(bat.chargeKw, (bat.energyMaxKwh - e) / (bat.chargeEfficiency * dt)));
    }
    for (const ev of model.evs) {
      const s = ev.sessions.find((x) => k >= x.firstStep && k < x.endStep);
      if (!s) continue;
      const e = k === s.firstStep ? s.energyStartKwh : schedule.evEnergyKwh[ev.id][k - 1];
      const perStepKwh = ev.chargerKw * ev.chargeEfficiency * dt;
      let minCharge = 0;
      const needs = [
        ...s.milestones.map((m) => [m.step, m.energyMinKwh]),
        [s.endStep - 1, s.energyEndMinKwh],
      ];
      for (const [step, need] of needs) {
        if (step < k) continue;
        minCharge = Math.max(minCharge, (need - e - (step - k) * perStepKwh) / (ev.chargeEfficiency * dt));
      }
      const maxCharge = Math.max(
        0,
        Math.min(ev.chargerKw, (ev.capacityKwh - e) / (ev.chargeEfficiency * dt)),
      );
      const v2g = minCharge <= 0 ? Math.min(ev.v2gKw, (e * ev.dischargeEfficiency) / dt) : 0;
      lo -= maxCharge;
      hi -= minCharge > 0 ? Math.min(minCharge, ev.chargerKw) : -v2g;
    }
    for (const h of model.heatPumps) {
      const indoor = k === 0 ? h.indoorInitialC : schedule.indoorC[h.id][k - 1];
      const free = h.decay * indoor + (1 - h.decay) * h.outdoorC[k];
      const pLow = Math.min(h.electricKw, Math.max(0, (h.comfortMinC - free) / h.gainKPerKw[k]));
      const pHigh = Math.max(pLow, Math.min(h.electricKw, (h.comfortMaxC - free) / h.gainKPerKw[k]));
      hi -= pLow;
      lo -= pHigh;
    }
    for (const s of model.shiftableLoads) {
      if (k < s.firstStep || k >= s.endStep) continue;
      let done = 0;
      for (let j = s.firstStep; j < k; j++) done += schedule.shiftableKw[s.id][j] * dt;
      const remaining = Math.max(0, s.energyKwh - done);
      hi -= Math.max(0, Math.min(s.maxKw, (remaining - (s.endStep - k - 1) * s.maxKw * dt) / dt));
      lo -= Math.min(s.maxKw, remaining / dt);
    }
    const base = schedule.netInjectionKw[k];
    minKw[k] = Math.min(base, Math.max(-model.importLimitKw, lo));
    maxKw[k] = Math.max(base, Math.min(model.exportLimitKw, hi));
  }
  return {
    id: model.id,
    baseKw: Float64Array.from(schedule.netInjectionKw),
    minKw,
    maxKw,
    marginalValueEurPerKwh: Float64Array.from(schedule.marginalValueEurPerKwh),
  };
}

/**
 * A two-step bid curve for interval k from an offer: the extra export (max − base) is offered at prices at or
 * above the prosumer's marginal value of energy, the extra import (base − min) is bid at prices at or below it.
 */
export function bidCurve(offer: FlexibilityOffer, k: number): FlexibilityBid[] {
  const price = offer.marginalValueEurPerKwh[k];
  const bids: FlexibilityBid[] = [];
  const up = offer.maxKw[k] - offer.baseKw[k];
  const down = offer.baseKw[k] - offer.minKw[k];
  if (up > 1e-9) bids.push({ side: 'sell', kw: up, limitPriceEurPerKwh: price });
  if (down > 1e-9) bids.push({ side: 'buy', kw: down, limitPriceEurPerKwh: price });
  return bids;
}
