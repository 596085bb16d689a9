// Seeded synthetic test networks for scale tests and benchmarks: a long radial feeder and a meshed grid.
import { createRandom, type RandomSource } from '../numeric/random.ts';
import { createNetwork } from './create-network.ts';
import type { Network, NetworkInput } from './schema.ts';

/**
 * A radial 12.66 kV feeder of `busCount` buses on a 10 MVA base: each bus hangs from one of the 40 buses built
 * before it, so the feeder has a long trunk with laterals. Branches 0.0004–0.0012 + j0.0003–0.0009 p.u.;
 * loads 0.1–0.5 kW at power factor ≈ 0.9 per bus (scaled by 10,000 / busCount) — the far end sits near 0.92 p.u.
 */
export function createSyntheticRadialFeeder(busCount: number, seed = 1): Network {
  const rng = createRandom(seed);
  const input: NetworkInput & { buses: NonNullable<NetworkInput['buses']> } = {
    name: `synthetic-radial-${busCount}`,
    baseMva: 10,
    buses: [{ id: 1, type: 'slack', baseKv: 12.66 }],
    generators: [{ id: 1, bus: 1, vmSetpointPu: 1 }],
    loads: [],
    branches: [],
  };
  const scale = 10_000 / Math.max(busCount, 1);
  for (let i = 2; i <= busCount; i++) {
    const parent = Math.max(1, i - 1 - Math.floor(rng.next() * 40));
    input.buses.push({ id: i, baseKv: 12.66 });
    input.branches!.push({
      id: i - 1,
      fromBus: parent,
      toBus: i,
      rPu: between(rng, 0.0004, 0.0012),
      xPu: between(rng, 0.0003, 0.0009),
    });
    const pMw = (between(rng, 0.1, 0.5) * scale) / 1000;
    input.loads!.push({ id: i, bus: i, pMw, qMvar: 0.48 * pMw });
  }
  return createNetwork(input);
}

/**
 * A meshed 138 kV transmission-like grid on a rows × cols lattice (100 MVA base): a random spanning tree plus
 * about 40 % of the remaining lattice edges, generators at 8 % of the buses (PV, ±limits), loads 5–25 MW.
 */
export function createSyntheticMeshedGrid(rows: number, cols: number, seed = 1): Network {
  const rng = createRandom(seed);
  const n = rows * cols;
  const id = (r: number, c: number) => r * cols + c + 1;
  const edges: [number, number][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols) edges.push([id(r, c), id(r, c + 1)]);
      if (r + 1 < rows) edges.push([id(r, c), id(r + 1, c)]);
    }
  }
  // Shuffle, keep a spanning tree (union–find) and 40 % of the other edges.
  for (let e = edges.length - 1; e > 0; e--) {
    const f = Math.floor(rng.next() * (e + 1));
    [edges[e], edges[f]] = [edges[f], edges[e]];
  }
  const parent = Int32Array.from({ length: n + 1 }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const kept: [number, number][] = [];
  for (const [a, b] of edges) {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) {
      parent[ra] = rb;
      kept.push([a, b]);
    } else if (rng.next() < 0.4) kept.push([a, b]);
  }
  const buses: NonNullable<NetworkInput['buses']> = [];
  const generators: NonNullable<NetworkInput['generators']> = [];
  const loads: NonNullable<NetworkInput['loads']> = [];
  let totalLoadMw = 0;
  for (let i = 1; i <= n; i++) {
    const pMw = between(rng, 5, 25);
    totalLoadMw += pMw;
    loads.push({ id: i, bus: i, pMw, qMvar: 0.3 * pMw });
  }
  const generatorBuses = new Set<number>([1]);
  while (generatorBuses.size < Math.max(1, Math.round(0.08 * n)))
    generatorBuses.add(1 + Math.floor(rng.next() * n));
  const perGeneratorMw = totalLoadMw / generatorBuses.size;
  for (let i = 1; i <= n; i++) {
    const isGenerator = generatorBuses.has(i);
    buses.push({ id: i, type: i === 1 ? 'slack' : isGenerator ? 'pv' : 'pq', baseKv: 138 });
    if (isGenerator) {
      generators.push({
        id: generators.length + 1,
        bus: i,
        pMw: i === 1 ? 0 : perGeneratorMw,
        vmSetpointPu: 1.02,
        qMinMvar: -0.5 * perGeneratorMw,
        qMaxMvar: 0.8 * perGeneratorMw,
        pMaxMw: 2 * perGeneratorMw,
      });
    }
  }
  return createNetwork({
    name: `synthetic-meshed-${rows}x${cols}`,
    baseMva: 100,
    buses,
    generators,
    loads,
    branches: kept.map(([a, b], k) => {
      const xPu = between(rng, 0.004, 0.012);
      return { id: k + 1, fromBus: a, toBus: b, rPu: xPu / 8, xPu, bPu: 0.01 };
    }),
  });
}

const between = (rng: RandomSource, low: number, high: number): number => low + (high - low) * rng.next();
