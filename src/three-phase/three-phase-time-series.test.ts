// Three-phase time series on a two-bus feeder: each step equals the closed-form single-phase solution, unbalance is
// flagged above 2 %, and series at a bus take the phase of the network's load there.
import { describe, expect, it } from 'vitest';
import { createComplexMatrix } from './complex-matrix.ts';
import type { ThreePhaseNetwork } from './model.ts';
import { placeLoadSeries, solveThreePhaseTimeSeries } from './three-phase-time-series.ts';

const E = 230;

function feeder(): ThreePhaseNetwork {
  const diagonal = (re: number, im: number) => {
    const m = createComplexMatrix(3);
    for (let i = 0; i < 3; i++) {
      m.re[i * 4] = re;
      m.im[i * 4] = im;
    }
    return m;
  };
  return {
    name: 't',
    frequencyHz: 50,
    buses: [
      { id: 's', baseKvLl: (E * Math.sqrt(3)) / 1000 },
      { id: 'r', baseKvLl: (E * Math.sqrt(3)) / 1000 },
    ],
    sources: [{ id: 'v', bus: 's', nodes: [1, 2, 3], vLnV: E, angleDeg: 0, zOhm: diagonal(1e-9, 0) }],
    lines: [
      {
        id: 'l',
        fromBus: 's',
        toBus: 'r',
        fromNodes: [1, 2, 3],
        toNodes: [1, 2, 3],
        zOhm: diagonal(0.2, 0.1),
        yShuntS: createComplexMatrix(3),
      },
    ],
    transformers: [],
    // The bus's own load puts series on phase b (node 2).
    loads: [
      {
        id: 'house',
        bus: 'r',
        nodes: [2],
        phases: 1,
        connection: 'wye',
        kv: 0.23,
        pKw: 1,
        qKvar: 0,
        model: 'constant-power',
        vMinPu: 0.95,
        vMaxPu: 1.05,
      },
    ],
    capacitors: [],
    regulators: [],
  };
}

describe('solveThreePhaseTimeSeries', () => {
  it('places each series on the phase of the bus load and solves every step like the closed form', () => {
    const pKw = [2, 8, -3];
    const qKvar = [1, 0, 0];
    const placed = placeLoadSeries(feeder(), [{ bus: 'r', pKw, qKvar }]);
    expect(placed.network.loads.map((l) => [l.nodes, l.pKw, l.qKvar])).toEqual([
      [[2], 1, 0],
      [[2], 0, 1],
    ]);
    const r = solveThreePhaseTimeSeries(feeder(), [{ bus: 'r', pKw, qKvar }], 3, { tolerance: 1e-12 });
    expect(r.status).toBe('converged');
    // Uncoupled phases: phase b carries the load; |V|² from u² + (2a − E²)u + |Z|²|S|² = 0.
    pKw.forEach((p, t) => {
      const a = 0.2 * p * 1000 + 0.1 * qKvar[t] * 1000;
      const b = E * E - 2 * a;
      const s2 = (p * 1000) ** 2 + (qKvar[t] * 1000) ** 2;
      const vm = Math.sqrt((b + Math.sqrt(b * b - 4 * 0.05 * s2)) / 2) / E;
      if (p > 0) expect(r.vmMinPu[t]).toBeCloseTo(vm, 6);
      else expect(r.vmMaxPu[t]).toBeCloseTo(vm, 6);
    });
    // More single-phase load, more unbalance.
    expect(r.vufMaxPct[1]).toBeGreaterThan(r.vufMaxPct[0]);
  });

  it('reports unbalance above the limit and voltages outside the band as violations', () => {
    const r = solveThreePhaseTimeSeries(feeder(), [{ bus: 'r', pKw: [20], qKvar: [0] }], 1, {
      vmMinPu: 0.95,
      vufMaxPct: 2,
    });
    const kinds = r.violations.map((v) => `${v.kind}@${v.element}`);
    expect(kinds).toContain('unbalance@r');
    expect(kinds).toContain('undervoltage@r');
    expect(r.violationCount[0]).toBe(kinds.length);
    const unbalance = r.violations.find((v) => v.kind === 'unbalance');
    expect(unbalance?.value).toBeGreaterThan(2);
  });
});
