// Turns prosumers' net power (scheduled or baseline) into per-bus load series for a network's power flow.
import type { BusLoadSeries } from '../problems/time-series-power-flow.ts';
import type { Scenario } from './schema.ts';

/**
 * Sum the prosumers of one network per bus: consumption pKw = −net injection; reactive consumption at the
 * prosumer's power factor on its consumption only, qKvar = max(p, 0)·tan(acos pf) (exports at unity power factor,
 * as PV inverters default to).
 */
export function prosumerBusLoads(
  scenario: Scenario,
  network: string,
  netInjectionKw: ReadonlyMap<string, ArrayLike<number>>,
  length: number,
): BusLoadSeries[] {
  const byBus = new Map<string, { bus: string | number; pKw: Float64Array; qKvar: Float64Array }>();
  for (const p of scenario.prosumers) {
    if (p.network !== network) continue;
    const net = netInjectionKw.get(p.id);
    if (!net) continue;
    const key = String(p.bus);
    let entry = byBus.get(key);
    if (!entry)
      byBus.set(
        key,
        (entry = { bus: p.bus, pKw: new Float64Array(length), qKvar: new Float64Array(length) }),
      );
    const tanPhi = Math.tan(Math.acos(p.powerFactor));
    for (let k = 0; k < length; k++) {
      const consumption = -net[k];
      entry.pKw[k] += consumption;
      entry.qKvar[k] += Math.max(0, consumption) * tanPhi;
    }
  }
  return [...byBus.values()];
}
