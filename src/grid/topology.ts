// Topology: connected components (islands) of the in-service network and radial-tree checks.
import type { ElementId, Network } from './schema.ts';

/** Island label per bus position in `network.buses` (-1 for out-of-service buses), and the number of islands. */
export function findIslands(network: Network): { islandOfBus: Int32Array; islandCount: number } {
  const n = network.buses.length;
  const position = busPositions(network);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (const branch of network.branches) {
    if (!branch.inService) continue;
    const f = position.get(branch.fromBus);
    const t = position.get(branch.toBus);
    if (f === undefined || t === undefined) continue;
    if (!network.buses[f].inService || !network.buses[t].inService) continue;
    parent[root(f)] = root(t);
  }
  const islandOfBus = new Int32Array(n).fill(-1);
  const labelOfRoot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!network.buses[i].inService) continue;
    const r = root(i);
    let label = labelOfRoot.get(r);
    if (label === undefined) labelOfRoot.set(r, (label = labelOfRoot.size));
    islandOfBus[i] = label;
  }
  return { islandOfBus, islandCount: labelOfRoot.size };
}

/** Map from bus id to its position in `network.buses`. */
export function busPositions(network: Network): Map<ElementId, number> {
  const position = new Map<ElementId, number>();
  for (let i = 0; i < network.buses.length; i++) position.set(network.buses[i].id, i);
  return position;
}

/** True when the in-service network is one connected tree (branches = buses − 1), as a radial feeder is. */
export function isRadial(network: Network): boolean {
  const { islandCount } = findIslands(network);
  const inServiceBuses = network.buses.filter((b) => b.inService).length;
  const inServiceBranches = network.branches.filter((b) => b.inService).length;
  return islandCount === 1 && inServiceBranches === inServiceBuses - 1;
}
