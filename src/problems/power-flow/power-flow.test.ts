// Power flow tests on small networks with closed-form solutions (independent of the solvers under test).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { createNetwork } from '../../grid/create-network.ts';
import type { NetworkInput } from '../../grid/schema.ts';
import { preparePowerFlow, solvePowerFlow } from './index.ts';

/** Slack bus 1 at 1.0 p.u. feeding a PQ load at bus 2 through r + jx (p.u. on 100 MVA). */
function twoBus(pLoadMw: number, qLoadMvar: number, rPu = 0.01, xPu = 0.1): NetworkInput {
  return {
    baseMva: 100,
    buses: [
      { id: 1, type: 'slack', baseKv: 110 },
      { id: 2, type: 'pq', baseKv: 110 },
    ],
    generators: [{ id: 1, bus: 1, vmSetpointPu: 1 }],
    loads: [{ id: 1, bus: 2, pMw: pLoadMw, qMvar: qLoadMvar }],
    branches: [{ id: 1, fromBus: 1, toBus: 2, rPu, xPu }],
  };
}

/** |V2|² from the quartic of the two-bus system: V⁴ + (2(rP + xQ) − V1²)V² + |z|²|S|² = 0. */
function twoBusVoltageSquared(p: number, q: number, r: number, x: number): number {
  const a = 1 - 2 * (r * p + x * q);
  return (a + Math.sqrt(a * a - 4 * (r * r + x * x) * (p * p + q * q))) / 2;
}

describe('AC power flow on a two-bus system', () => {
  const p = 0.5;
  const q = 0.2;
  const v2 = twoBusVoltageSquared(p, q, 0.01, 0.1);
  for (const method of ['nr', 'bfs'] as const) {
    it(`${method} matches the closed-form voltage and losses`, () => {
      const result = solvePowerFlow(createNetwork(twoBus(50, 20)), { method });
      expect(result.status).toBe('converged');
      expect(result.buses[1].vmPu).toBeCloseTo(Math.sqrt(v2), 9);
      // Series losses r·|I|² with |I|² = |S|²/|V2|².
      expect(result.lossesMw).toBeCloseTo(100 * ((0.01 * (p * p + q * q)) / v2), 7);
      expect(result.lossesMvar).toBeCloseTo(100 * ((0.1 * (p * p + q * q)) / v2), 7);
      expect(result.generators[0].pMw).toBeCloseTo(50 + result.lossesMw, 7);
    });
  }

  // Network equivalents (PEGASE) carry negative R or X: the closed form holds for any sign, losses follow r's sign.
  for (const [rPu, xPu] of [
    [-0.01, 0.1],
    [0.01, -0.1],
  ]) {
    it(`NR matches the closed form with r = ${rPu}, x = ${xPu}`, () => {
      const result = solvePowerFlow(createNetwork(twoBus(50, 20, rPu, xPu)));
      const v2Signed = twoBusVoltageSquared(p, q, rPu, xPu);
      expect(result.status).toBe('converged');
      expect(result.buses[1].vmPu).toBeCloseTo(Math.sqrt(v2Signed), 9);
      expect(result.lossesMw).toBeCloseTo(100 * ((rPu * (p * p + q * q)) / v2Signed), 7);
      expect(result.generators[0].pMw).toBeCloseTo(50 + result.lossesMw, 7);
    });
  }

  it('NR converges quadratically (≤ 4 iterations) on a light load', () => {
    expect(solvePowerFlow(createNetwork(twoBus(50, 20))).iterations).toBeLessThanOrEqual(4);
  });

  it('reports not_converged beyond the nose of the PV curve instead of throwing', () => {
    // With r = 0, x = 0.1 and unity power factor the maximum transferable power is 1/(2x) = 5 p.u. = 500 MW.
    for (const method of ['nr', 'bfs'] as const) {
      const result = solvePowerFlow(createNetwork(twoBus(800, 0, 0, 0.1)), { method });
      expect(result.status).toBe('not_converged');
      expect(result.converged).toBe(false);
      expect(result.message).toBeTruthy();
    }
  });

  it('DC power flow gives θ2 = −P·x and zero losses', () => {
    const result = solvePowerFlow(createNetwork(twoBus(50, 20)), { method: 'dc' });
    expect(result.status).toBe('converged');
    expect(result.buses[1].vaDeg).toBeCloseTo((-0.5 * 0.1 * 180) / Math.PI, 10);
    expect(result.lossesMw).toBe(0);
    expect(result.branches[0].pFromMw).toBeCloseTo(50, 10);
  });

  it('prepared solves reuse structures and accept per-bus load overrides', () => {
    const prepared = preparePowerFlow(createNetwork(twoBus(50, 20)));
    const heavier = prepared.solveArrays({
      pLoadMw: Float64Array.from([0, 80]),
      qLoadMvar: Float64Array.from([0, 10]),
    });
    // Mismatch tolerance 1e-8 p.u. bounds the voltage error near 1e-9.
    expect(heavier.vmPu[1] ** 2).toBeCloseTo(twoBusVoltageSquared(0.8, 0.1, 0.01, 0.1), 8);
    expect(() => prepared.solveArrays({ pLoadMw: new Float64Array(3) })).toThrow(InputError);
  });

  it('bfs rejects a meshed network with a clear error', () => {
    const meshed = twoBus(50, 20);
    meshed.branches = [...(meshed.branches ?? []), { id: 2, fromBus: 1, toBus: 2, rPu: 0.02, xPu: 0.2 }];
    expect(() => solvePowerFlow(createNetwork(meshed), { method: 'bfs' })).toThrow(/tree|radial/);
  });
});

describe('transformer taps and phase shift', () => {
  it('an off-nominal tap at no load scales the to-side voltage by 1/τ (NR and BFS agree)', () => {
    const input = twoBus(0, 0);
    input.branches = [{ id: 1, fromBus: 1, toBus: 2, rPu: 0.01, xPu: 0.1, tapRatio: 1.05, shiftDeg: 10 }];
    for (const method of ['nr', 'bfs'] as const) {
      const result = solvePowerFlow(createNetwork(input), { method });
      expect(result.buses[1].vmPu).toBeCloseTo(1 / 1.05, 9);
      expect(result.buses[1].vaDeg).toBeCloseTo(-10, 9);
    }
  });

  it('NR and BFS agree on a loaded tapped branch with charging', () => {
    const input = twoBus(40, 15);
    input.branches = [
      { id: 1, fromBus: 2, toBus: 1, rPu: 0.02, xPu: 0.08, bPu: 0.1, tapRatio: 0.97, shiftDeg: -3 },
    ];
    const nr = solvePowerFlow(createNetwork(input), { method: 'nr' });
    const bfs = solvePowerFlow(createNetwork(input), { method: 'bfs' });
    expect(bfs.buses[1].vmPu).toBeCloseTo(nr.buses[1].vmPu, 8);
    expect(bfs.buses[1].vaDeg).toBeCloseTo(nr.buses[1].vaDeg, 7);
    expect(bfs.lossesMw).toBeCloseTo(nr.lossesMw, 7);
  });
});

describe('reactive limits', () => {
  it('switches a PV bus to PQ at its limit only when asked', () => {
    const input: NetworkInput = {
      ...twoBus(50, 60),
      buses: [
        { id: 1, type: 'slack', baseKv: 110 },
        { id: 2, type: 'pv', baseKv: 110 },
      ],
      generators: [
        { id: 1, bus: 1, vmSetpointPu: 1 },
        { id: 2, bus: 2, pMw: 0, vmSetpointPu: 1.0, qMinMvar: -10, qMaxMvar: 10 },
      ],
    };
    const free = solvePowerFlow(createNetwork(input));
    expect(free.buses[1].vmPu).toBeCloseTo(1, 10);
    expect(free.generators[1].qMvar).toBeGreaterThan(10);
    const limited = solvePowerFlow(createNetwork(input), { enforceQLimits: true });
    expect(limited.status).toBe('converged');
    expect(limited.generators[1].qMvar).toBeCloseTo(10, 8);
    expect(limited.generators[1].atQLimit).toBe(true);
    // Now a PQ bus with net load 50 MW + 50 MVAr: the closed form applies again.
    expect(limited.buses[1].vmPu ** 2).toBeCloseTo(twoBusVoltageSquared(0.5, 0.5, 0.01, 0.1), 9);
    // DC power flow has no reactive power: the option changes nothing there.
    const dc = solvePowerFlow(createNetwork(input), { method: 'dc', enforceQLimits: true });
    expect(dc.generators[1].atQLimit).toBe(false);
    expect(dc.buses[1].vaDeg).toBeCloseTo(
      solvePowerFlow(createNetwork(input), { method: 'dc' }).buses[1].vaDeg,
      12,
    );
  });
});
