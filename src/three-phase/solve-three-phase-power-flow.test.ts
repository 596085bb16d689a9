// Hand-solvable three-phase cases: balanced (= positive-sequence closed form), delta load, single-phase load with
// mutual coupling, open phase, Dyn transformer phase shift, regulator band and power balance.
import { describe, expect, it } from 'vitest';
import { threePhaseBusResults } from './bus-results.ts';
import { createComplexMatrix, fromSequence } from './complex-matrix.ts';
import type { ThreePhaseLoad, ThreePhaseNetwork } from './model.ts';
import { solveThreePhasePowerFlow } from './solve-three-phase-power-flow.ts';

const E_LN_V = 400 / Math.sqrt(3);
const SOURCE_R = 1e-6;

function diagonal(n: number, re: number, im = 0) {
  const m = createComplexMatrix(n);
  for (let i = 0; i < n; i++) {
    m.re[i * n + i] = re;
    m.im[i * n + i] = im;
  }
  return m;
}

function feeder(loads: ThreePhaseLoad[], lineNodes = [1, 2, 3]): ThreePhaseNetwork {
  const n = lineNodes.length;
  return {
    name: 'two-bus',
    frequencyHz: 50,
    buses: [
      { id: 's', baseKvLl: 0.4 },
      { id: 'r', baseKvLl: 0.4 },
    ],
    sources: [
      { id: 'src', bus: 's', nodes: [1, 2, 3], vLnV: E_LN_V, angleDeg: 0, zOhm: diagonal(3, SOURCE_R) },
    ],
    lines: [
      {
        id: 'l1',
        fromBus: 's',
        toBus: 'r',
        fromNodes: lineNodes,
        toNodes: lineNodes,
        zOhm: fromSequence(n, { re: 0.3, im: 0.6 }, { re: 0.9, im: 1.8 }),
        yShuntS: createComplexMatrix(n),
      },
    ],
    transformers: [],
    loads,
    capacitors: [],
    regulators: [],
  };
}

function load(partial: Partial<ThreePhaseLoad>): ThreePhaseLoad {
  return {
    id: 'ld',
    bus: 'r',
    nodes: [1, 2, 3],
    phases: 3,
    connection: 'wye',
    kv: 0.4,
    pKw: 30,
    qKvar: 15,
    model: 'constant-power',
    vMinPu: 0,
    vMaxPu: 10,
    ...partial,
  };
}

/** |V| at a constant-power load P + jQ behind R + jX from an EMF E: the root of u² + (2a − E²)u + |Z|²|S|² = 0. */
function closedFormVm(e: number, r: number, x: number, p: number, q: number): number {
  const a = r * p + x * q;
  const b = e * e - 2 * a;
  return Math.sqrt((b + Math.sqrt(b * b - 4 * (r * r + x * x) * (p * p + q * q))) / 2);
}

describe('three-phase power flow on hand-solvable feeders', () => {
  const balancedVm = closedFormVm(E_LN_V, 0.3 + SOURCE_R, 0.6, 10_000, 5_000);

  it('balanced wye load: every phase equals the positive-sequence single-phase solution', () => {
    const network = feeder([load({})]);
    const result = solveThreePhasePowerFlow(network);
    expect(result.status).toBe('converged');
    const bus = threePhaseBusResults(network, result)[1];
    for (const phase of [bus.phases.a, bus.phases.b, bus.phases.c]) {
      expect(phase?.vLnV).toBeCloseTo(balancedVm, 6);
    }
    expect(bus.phases.b?.vaDeg ?? 0).toBeCloseTo((bus.phases.a?.vaDeg ?? 0) - 120, 6);
    expect(bus.vufPct).toBeCloseTo(0, 6);
    // Balanced: losses are 3·|I|²·R1 with |I| = |S_phase| / |V|.
    const iA = Math.hypot(10_000, 5_000) / balancedVm;
    expect(result.lossesW).toBeCloseTo(3 * iA * iA * 0.3, 3);
    expect(result.loadPW).toBeCloseTo(30_000, 3);
  });

  it('balanced delta load of the same total power gives the same phase voltages', () => {
    const network = feeder([load({ connection: 'delta' })]);
    const bus = threePhaseBusResults(network, solveThreePhasePowerFlow(network))[1];
    expect(bus.phases.a?.vLnV).toBeCloseTo(balancedVm, 6);
    expect(bus.phases.c?.vLnV).toBeCloseTo(balancedVm, 6);
  });

  it('single-phase constant-impedance load: own-phase divider and the mutual drop on the other phases', () => {
    const network = feeder([
      load({ nodes: [1], phases: 1, kv: 0.23, pKw: 5, qKvar: 2, model: 'constant-impedance' }),
    ]);
    const result = solveThreePhasePowerFlow(network);
    // Z_load = V²/conj(S); Z_self = (2·Z1 + Z0)/3, Z_mutual = (Z0 − Z1)/3.
    const s2 = 5000 ** 2 + 2000 ** 2;
    const zl = { re: (230 * 230 * 5000) / s2, im: (230 * 230 * 2000) / s2 };
    const zs = { re: (2 * 0.3 + 0.9) / 3 + SOURCE_R, im: (2 * 0.6 + 1.8) / 3 };
    const zm = { re: (0.9 - 0.3) / 3, im: (1.8 - 0.6) / 3 };
    const tr = zs.re + zl.re;
    const ti = zs.im + zl.im;
    const d = tr * tr + ti * ti;
    const ia = { re: (E_LN_V * tr) / d, im: (-E_LN_V * ti) / d };
    const va = { re: E_LN_V - (zs.re * ia.re - zs.im * ia.im), im: -(zs.re * ia.im + zs.im * ia.re) };
    const eb = { re: E_LN_V * -0.5, im: (-E_LN_V * Math.sqrt(3)) / 2 };
    const vb = { re: eb.re - (zm.re * ia.re - zm.im * ia.im), im: eb.im - (zm.re * ia.im + zm.im * ia.re) };
    const a = result.nodes.find('r', 1) ?? -1;
    const b = result.nodes.find('r', 2) ?? -1;
    expect(result.vRe[a]).toBeCloseTo(va.re, 6);
    expect(result.vIm[a]).toBeCloseTo(va.im, 6);
    expect(result.vRe[b]).toBeCloseTo(vb.re, 6);
    expect(result.vIm[b]).toBeCloseTo(vb.im, 6);
    const bus = threePhaseBusResults(network, result)[1];
    expect(bus.vufPct).toBeGreaterThan(0.5);
  });

  it('open phase: a two-phase line feeds only nodes 1 and 2; phase c is absent and no VUF is given', () => {
    const network = feeder([load({ nodes: [1, 2], phases: 2, kv: 0.4, pKw: 20, qKvar: 10 })], [1, 2]);
    const result = solveThreePhasePowerFlow(network);
    const bus = threePhaseBusResults(network, result)[1];
    expect(bus.phases.c).toBeUndefined();
    expect(bus.vufPct).toBeUndefined();
    expect(bus.phases.a?.vLnV).toBeLessThan(E_LN_V);
    // Power balance: the source delivers the load plus the line losses I²R summed per conductor.
    expect(result.sourcePW).toBeCloseTo(result.loadPW + result.lossesW, 6);
    expect(result.loadPW).toBeCloseTo(20_000, 3);
    expect(result.lossesW).toBeGreaterThan(0);
  });

  it.each([
    ['delta', 'wye', -30],
    ['wye', 'delta', -30],
    ['wye', 'wye', 0],
    ['delta', 'delta', 0],
  ] as const)(
    '%s-%s bank at light load: LV at rated ratio, %i° from the HV side (ANSI)',
    (c1, c2, shiftDeg) => {
      const base = feeder([]);
      const network: ThreePhaseNetwork = {
        ...base,
        buses: [
          { id: 'hv', baseKvLl: 11 },
          { id: 'lv', baseKvLl: 0.416 },
        ],
        sources: [{ ...base.sources[0], bus: 'hv', vLnV: 11_000 / Math.sqrt(3) }],
        lines: [],
        transformers: [
          {
            id: 'tr',
            phases: 3,
            xhlPct: 4,
            windings: [
              { bus: 'hv', nodes: [1, 2, 3], connection: c1, kv: 11, kva: 800, rPct: 0.2, tapPu: 1 },
              { bus: 'lv', nodes: [1, 2, 3], connection: c2, kv: 0.416, kva: 800, rPct: 0.2, tapPu: 1 },
            ],
          },
        ],
        // A 3 W delta load: an ungrounded delta secondary still gets defined line-to-neutral voltages.
        loads: [load({ bus: 'lv', connection: 'delta', kv: 0.416, pKw: 0.003, qKvar: 0 })],
      };
      const result = solveThreePhasePowerFlow(network);
      expect(result.status).toBe('converged');
      const bus = threePhaseBusResults(network, result)[1];
      expect(bus.phases.a?.vmPu).toBeCloseTo(1, 5);
      expect(bus.phases.a?.vaDeg).toBeCloseTo(shiftDeg, 3);
      expect(bus.phases.b?.vaDeg).toBeCloseTo(shiftDeg - 120, 3);
    },
  );

  it('regulator taps move until the regulated voltage is inside its band', () => {
    const base = feeder([load({})]);
    const network: ThreePhaseNetwork = {
      ...base,
      buses: [...base.buses, { id: 'g', baseKvLl: 0.4 }],
      lines: [{ ...base.lines[0], fromBus: 'g' }],
      transformers: [1, 2, 3].map((node) => ({
        id: `reg${node}`,
        phases: 1,
        xhlPct: 0.01,
        windings: [
          { bus: 's', nodes: [node], connection: 'wye', kv: 0.23, kva: 100, rPct: 0.005, tapPu: 1 },
          { bus: 'g', nodes: [node], connection: 'wye', kv: 0.23, kva: 100, rPct: 0.005, tapPu: 1 },
        ],
      })),
      regulators: [1, 2, 3].map((node) => ({
        id: `rc${node}`,
        transformer: `reg${node}`,
        winding: 2,
        vregV: 240,
        bandV: 2,
        ptRatio: 1,
        ctPrimA: 100,
        rV: 0,
        xV: 0,
        minTapPu: 0.9,
        maxTapPu: 1.1,
        numTaps: 32,
      })),
    };
    const result = solveThreePhasePowerFlow(network);
    expect(result.status).toBe('converged');
    expect(result.controlIterations).toBeGreaterThan(0);
    const g = threePhaseBusResults(network, result)[2];
    for (const phase of [g.phases.a, g.phases.b, g.phases.c]) {
      expect(Math.abs((phase?.vLnV ?? 0) - 240)).toBeLessThanOrEqual(1);
    }
    // Taps are whole steps of 0.2/32 above 1.
    for (const tap of result.regulatorTapsPu) {
      const steps = (tap - 1) / (0.2 / 32);
      expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-9);
    }
  });
});
