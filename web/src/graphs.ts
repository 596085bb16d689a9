// Cytoscape networks: a feeder drawn as a tree (preset positions from a depth-first layout), and a trade graph.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { layoutTree } from './layout-tree.ts';

const live = new Set<Core>();

export function disposeGraphs(): void {
  for (const cy of live) cy.destroy();
  live.clear();
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
