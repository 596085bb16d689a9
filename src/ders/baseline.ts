// Inflexible reference behaviour of a prosumer (no optimisation), to value flexibility against.
import type { ProsumerModel } from './prosumer-model.ts';
import type { ProsumerTariff } from './tariff.ts';

export interface BaselineSchedule {
  readonly id: string;
  /** Net injection at the meter (kW, positive exporting). */
  readonly netInjectionKw: Float64Array;
  /** Money paid minus received at retail prices, no P2P (EUR). */
  readonly energyCostEur: number;
}

/**
 * What the prosumer does without energy management: PV uncurtailed, batteries idle, EVs charge at full power on
 * arrival until the session's requirement is met, heat pumps keep the room at the lower comfort bound (a
 * thermostat: the least power that holds θ ≥ θ_min), shiftable loads run at full power from their earliest start.
 * The result is feasible for the scheduling LP whenever the LP's own constraints allow it, so the optimal
 * schedule costs no more (the test suite checks this).
 */
export function baselineSchedule(model: ProsumerModel, tariff: ProsumerTariff): BaselineSchedule {
  const n = model.length;
  const dt = model.stepH;
  const net = new Float64Array(n);
  for (let k = 0; k < n; k++) net[k] = -model.fixedLoadKw[k];
  for (const pv of model.pv) for (let k = 0; k < n; k++) net[k] += pv.availableKw[k];
  for (const ev of model.evs) {
    for (const s of ev.sessions) {
      let energy = s.energyStartKwh;
      const target = Math.max(s.energyEndMinKwh, ...s.milestones.map((m) => m.energyMinKwh));
      for (let k = s.firstStep; k < s.endStep; k++) {
        const p = Math.max(0, Math.min(ev.chargerKw, (target - energy) / (ev.chargeEfficiency * dt)));
        energy += p * ev.chargeEfficiency * dt;
        net[k] -= p;
      }
    }
  }
  for (const h of model.heatPumps) {
    let indoor = h.indoorInitialC;
    for (let k = 0; k < n; k++) {
      const free = h.decay * indoor + (1 - h.decay) * h.outdoorC[k];
      const p = Math.max(0, Math.min(h.electricKw, (h.comfortMinC - free) / h.gainKPerKw[k]));
      indoor = free + h.gainKPerKw[k] * p;
      net[k] -= p;
    }
  }
  for (const s of model.shiftableLoads) {
    let remaining = s.energyKwh;
    for (let k = s.firstStep; k < s.endStep && remaining > 0; k++) {
      const p = Math.min(s.maxKw, remaining / dt);
      remaining -= p * dt;
      net[k] -= p;
    }
  }
  let energyCostEur = 0;
  for (let k = 0; k < n; k++) {
    energyCostEur +=
      (net[k] < 0 ? -net[k] * tariff.importPriceEurPerKwh[k] : -net[k] * tariff.exportPriceEurPerKwh[k]) * dt;
  }
  return { id: model.id, netInjectionKw: net, energyCostEur };
}
