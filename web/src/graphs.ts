// Cytoscape networks: a feeder drawn as a tree (preset positions from a depth-first layout), and a trade graph.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';

const live = new Set<Core>();

export function disposeGraphs(): void {
  for (const cy of live) cy.destroy();
  live.clear();
}

/**
 * Positions of a radial network rooted at bus 0: x = depth in branches, y = order of the leaves below (each parent
 * centred on its children). Meshed extra branches are drawn but do not move buses.
 */
export function layoutTree(
  busCount: number,
  branches: readonly { from: number; to: number }[],
): { x: number; y: number }[] {
  const neighbours: number[][] = Array.from({ length: busCount }, () => []);
  for (const b of branches) {
    neighbours[b.from].push(b.to);
    neighbours[b.to].push(b.from);
  }
  const depth = new Int32Array(busCount).fill(-1);
  const y = new Float64Array(busCount);
  const children: number[][] = Array.from({ length: busCount }, () => []);
  const order: number[] = [];
  let nextLeaf = 0;
  for (let root = 0; root < busCount; root++) {
    if (depth[root] >= 0) continue;
    depth[root] = 0;
    const stack = [root];
    while (stack.length > 0) {
      const u = stack.pop()!;
      order.push(u);
      for (const v of neighbours[u])
        if (depth[v] < 0) {
          depth[v] = depth[u] + 1;
          children[u].push(v);
          stack.push(v);
        }
    }
    // Post-order: leaves take the next row; a parent sits at the mean of its children.
    const visit: [number, boolean][] = [[root, false]];
    while (visit.length > 0) {
      const [u, isDone] = visit.pop()!;
      if (isDone) {
        y[u] =
          children[u].length === 0
            ? nextLeaf++
            : children[u].reduce((a, c) => a + y[c], 0) / children[u].length;
        continue;
      }
      visit.push([u, true]);
      for (const c of children[u]) visit.push([c, false]);
    }
  }
  return Array.from({ length: busCount }, (_, i) => ({ x: depth[i] * 12, y: y[i] * 12 }));
}

export function feederGraph(
  container: HTMLElement,
  busIds: readonly string[],
  branches: readonly { id: string; from: number; to: number }[],
  memberBuses: ReadonlySet<string>,
): Core {
  const positions = layoutTree(busIds.length, branches);
  const elements: ElementDefinition[] = [
    ...busIds.map((id, i) => ({
      group: 'nodes' as const,
      data: { id: `b${i}`, label: id, colour: '#999', isMember: memberBuses.has(id) ? 1 : 0 },
      position: positions[i],
    })),
    ...branches.map((b, j) => ({
      group: 'edges' as const,
      data: { id: `e${j}`, source: `b${b.from}`, target: `b${b.to}`, colour: '#bbb', width: 2 },
    })),
  ];
  const cy = cytoscape({
    container,
    elements,
    layout: { name: 'preset', fit: true, padding: 12 },
    style: [
      {
        selector: 'node',
        style: { 'background-color': 'data(colour)', width: 7, height: 7, 'border-width': 0 },
      },
      {
        selector: 'node[isMember = 1]',
        style: { width: 16, height: 16, shape: 'round-rectangle', 'border-width': 1, 'border-color': '#333' },
      },
      { selector: 'edge', style: { 'line-color': 'data(colour)', width: 'data(width)' } },
    ],
    boxSelectionEnabled: false,
    autoungrabify: true,
  });
  live.add(cy);
  return cy;
}

export function tradeGraph(
  container: HTMLElement,
  edges: readonly { buyer: string; seller: string; eKwh: number }[],
): Core {
  const names = [...new Set(edges.flatMap((e) => [e.buyer, e.seller]))].sort();
  const maxKwh = Math.max(1e-9, ...edges.map((e) => e.eKwh));
  const cy = cytoscape({
    container,
    elements: [
      ...names.map((n) => ({ group: 'nodes' as const, data: { id: n, label: n.replace(/^prosumer:/, '') } })),
      ...edges.map((e, j) => ({
        group: 'edges' as const,
        data: { id: `t${j}`, source: e.seller, target: e.buyer, width: 1 + (7 * e.eKwh) / maxKwh },
      })),
    ],
    layout: { name: 'circle', fit: true, padding: 24 },
    style: [
      {
        selector: 'node',
        style: { 'background-color': '#3a7bd5', label: 'data(label)', 'font-size': 8, width: 10, height: 10 },
      },
      {
        selector: 'edge',
        style: {
          width: 'data(width)',
          'line-color': '#e59a2f',
          'target-arrow-color': '#e59a2f',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          opacity: 0.7,
        },
      },
    ],
    autoungrabify: true,
  });
  live.add(cy);
  return cy;
}
