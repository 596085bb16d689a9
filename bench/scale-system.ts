// Large systems for benchmarks: case118 with one CIGRE MV DSO per group of prosumers, distinct 55-household feeders.
import { loadCase } from '../src/io/case-registry.ts';
import { DEFAULT_SITES, type SystemDso } from '../src/studies/system/index.ts';

export const HOUSEHOLDS_PER_FEEDER = 55;
export const SCALE_TRANSMISSION = 'case118';
/** Share of its case118 bus load each MV network stands for (the DSO's own import replaces it). */
export const SHARE_OF_BUS_LOAD = 0.25;

/**
 * The DSOs for N prosumers: ⌈feeders / feedersPerDso⌉ CIGRE MV networks on the largest distinct case118 load
 * buses, feeders split evenly over them (feeder k of a DSO cycles over the default study's five MV buses and DER
 * mixes), each feeder simulated once (replicas 1). More DSOs than load buses wrap around the buses.
 */
export function scaleDsos(prosumers: number, perDso: number): SystemDso[] {
  const feeders = Math.ceil(prosumers / HOUSEHOLDS_PER_FEEDER);
  const feedersPerDso = Math.max(1, Math.floor(perDso / HOUSEHOLDS_PER_FEEDER));
  const loadBuses = loadCase(SCALE_TRANSMISSION)
    .loads.filter((l) => l.inService && l.pMw > 0)
    .sort((a, b) => b.pMw - a.pMw || Number(a.bus) - Number(b.bus))
    .map((l) => Number(l.bus))
    .filter((bus, i, all) => all.indexOf(bus) === i);
  const count = Math.ceil(feeders / feedersPerDso);
  // Beyond one DSO per load bus (1,000,000 prosumers at 5,000 per DSO), k MV networks share a bus, each standing
  // for SHARE_OF_BUS_LOAD / k of its load.
  const perBus = Math.ceil(count / loadBuses.length);
  const first = (d: number) => Math.floor((d * feeders) / count);
  return Array.from({ length: count }, (_, d) => ({
    network: `mv-${d + 1}`,
    transmissionBus: loadBuses[d % loadBuses.length],
    shareOfBusLoad: SHARE_OF_BUS_LOAD / perBus,
    sites: Array.from({ length: first(d + 1) - first(d) }, (_, k) => ({
      ...DEFAULT_SITES[k % DEFAULT_SITES.length],
      replicas: 1,
      id: `lv-${first(d) + k + 1}`,
    })),
  }));
}
