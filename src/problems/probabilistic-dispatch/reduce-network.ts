// Radial network reduction: merge series chains of element-free degree-2 buses into one equivalent branch.
//
// A bus is kept when it is the slack, carries a load, generator or shunt, is listed in `keepBuses`, has degree ≠ 2,
// or touches a transformer / tapped / phase-shifting / charging branch. Every maximal chain u – w₁ – … – w_m – v of
// removed buses becomes one branch u–v with r = Σ r, x = Σ x and rating = the smallest non-zero rating on the chain.
// With no injection and no shunt inside a chain the current is the same along it, so the reduction is exact for AC
// and LinDistFlow flows and for the voltages of kept buses; the voltage limits of removed buses are not modelled
// (along a chain without injections |V| moves monotonically between its ends in LinDistFlow, so the ends' limits
// cover it when all limits are equal, as on LV feeders).
import { InputError } from '../../core/errors.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { ElementId, Network, NetworkInput } from '../../grid/schema.ts';

export interface ReducedNetwork {
  readonly network: Network;
  readonly originalBusCount: number;
  /** Original branch ids merged into each reduced branch (by reduced branch id). */
  readonly mergedBranches: ReadonlyMap<ElementId, readonly ElementId[]>;
}

/** Reduce a radial network by merging series segments (see the module comment). */
export function reduceRadialNetwork(network: Network, keepBuses: Iterable<ElementId> = []): ReducedNetwork {
  const key = (id: ElementId) => String(id);
  const buses = network.buses.filter((b) => b.inService);
  const branches = network.branches.filter((b) => b.inService);
  const keep = new Set<string>([...keepBuses].map(key));
  for (const bus of buses) if (bus.type === 'slack') keep.add(key(bus.id));
  for (const e of [...network.loads, ...network.generators, ...network.shunts])
    if (e.inService) keep.add(key(e.bus));
  const adjacency = new Map<string, number[]>();
  for (const bus of buses) adjacency.set(key(bus.id), []);
  branches.forEach((branch, k) => {
    const from = adjacency.get(key(branch.fromBus));
    const to = adjacency.get(key(branch.toBus));
    if (!from || !to) return;
    from.push(k);
    to.push(k);
    const isSimple =
      branch.kind === 'line' && branch.tapRatio === 1 && branch.shiftDeg === 0 && branch.bPu === 0;
    if (!isSimple) {
      keep.add(key(branch.fromBus));
      keep.add(key(branch.toBus));
    }
  });
  for (const [id, list] of adjacency) if (list.length !== 2) keep.add(id);

  const used = new Uint8Array(branches.length);
  const newBranches: NonNullable<NetworkInput['branches']> = [];
  const mergedBranches = new Map<ElementId, ElementId[]>();
  for (const bus of buses) {
    const start = key(bus.id);
    if (!keep.has(start)) continue;
    for (const first of adjacency.get(start) ?? []) {
      if (used[first]) continue;
      const chain: number[] = [];
      let at = start;
      let k = first;
      for (;;) {
        used[k] = 1;
        chain.push(k);
        const b = branches[k];
        at = key(b.fromBus) === at ? key(b.toBus) : key(b.fromBus);
        if (keep.has(at)) break;
        const next = (adjacency.get(at) ?? []).find((j) => !used[j]);
        if (next === undefined) {
          throw InputError.single('not_radial', ['branches'], `dangling series chain at bus ${at}`);
        }
        k = next;
      }
      const head = branches[chain[0]];
      if (chain.length === 1) {
        newBranches.push({ ...head });
        mergedBranches.set(head.id, [head.id]);
        continue;
      }
      let rPu = 0;
      let xPu = 0;
      let rate = 0;
      for (const j of chain) {
        rPu += branches[j].rPu;
        xPu += branches[j].xPu;
        const r = branches[j].rateAMva;
        if (r > 0) rate = rate > 0 ? Math.min(rate, r) : r;
      }
      const end = buses.find((b) => key(b.id) === at)!;
      newBranches.push({
        id: head.id,
        kind: 'line',
        fromBus: bus.id,
        toBus: end.id,
        rPu,
        xPu,
        rateAMva: rate,
      });
      mergedBranches.set(
        head.id,
        chain.map((j) => branches[j].id),
      );
    }
  }
  const reduced = createNetwork({
    ...network,
    name: `${network.name}-reduced`,
    buses: buses.filter((b) => keep.has(key(b.id))),
    branches: newBranches,
  });
  return { network: reduced, originalBusCount: buses.length, mergedBranches };
}
