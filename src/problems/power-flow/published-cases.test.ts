// Validation of the power flow against published results for the bundled MATPOWER cases (data/README.md).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMatpowerCase } from '../../io/matpower/parse-matpower.ts';
import { solvePowerFlow } from './index.ts';

const casePath = (name: string) =>
  fileURLToPath(new URL(`../../../data/matpower/${name}.m`, import.meta.url));
const load = (name: string) => readMatpowerCase(casePath(name));

describe('case33bw (Baran & Wu), published sweep results', () => {
  const network = load('case33bw');
  for (const method of ['nr', 'bfs'] as const) {
    it(`${method}: losses 202.677126 kW / 135.140971 kvar and the published voltage profile`, () => {
      const r = solvePowerFlow(network, { method });
      expect(r.status).toBe('converged');
      expect(Math.abs(r.lossesMw * 1000 - 202.677126)).toBeLessThan(0.01);
      expect(Math.abs(r.lossesMvar * 1000 - 135.140971)).toBeLessThan(0.01);
      const byId = new Map(r.buses.map((b) => [b.id, b.vmPu]));
      const lowest = r.buses.reduce((a, b) => (b.vmPu < a.vmPu ? b : a));
      expect(lowest.id).toBe(18);
      expect(Math.abs(lowest.vmPu - 0.913090479)).toBeLessThan(1e-6);
      expect(Math.abs(byId.get(17)! - 0.913697546)).toBeLessThan(1e-6);
      expect(Math.abs(byId.get(16)! - 0.91572476)).toBeLessThan(1e-6);
      expect(Math.abs(byId.get(33)! - 0.916589822)).toBeLessThan(1e-6);
      // Substation 3917.677126 kW / 2435.140971 kvar.
      expect(Math.abs(r.generators[0].pMw * 1000 - 3917.677126)).toBeLessThan(0.01);
      expect(Math.abs(r.generators[0].qMvar * 1000 - 2435.140971)).toBeLessThan(0.01);
    });
  }

  it('NR converges in at most 4 iterations (MATPOWER: 3) and a sweep in 5–8', () => {
    expect(solvePowerFlow(network, { method: 'nr' }).iterations).toBeLessThanOrEqual(4);
    const sweeps = solvePowerFlow(network, { method: 'bfs' }).iterations;
    expect(sweeps).toBeGreaterThanOrEqual(5);
    expect(sweeps).toBeLessThanOrEqual(8);
  });

  it('branch 1–2 carries 210.364 A', () => {
    const r = solvePowerFlow(network, { method: 'nr' });
    const first = r.branches[0];
    const baseKv = 12.66;
    const currentA = (Math.hypot(first.pFromMw, first.qFromMvar) * 1000) / (Math.sqrt(3) * baseKv * 1.0);
    expect(currentA).toBeCloseTo(210.364, 2);
  });
});

describe('case9, MATPOWER expected printout', () => {
  const r = solvePowerFlow(load('case9'));
  const published = [
    [1.04, 0],
    [1.025, 9.28],
    [1.025, 4.665],
    [1.026, -2.217],
    [1.013, -3.687],
    [1.032, 1.967],
    [1.016, 0.728],
    [1.026, 3.72],
    [0.996, -3.989],
  ];
  it('voltages and angles at every bus to the printed precision', () => {
    expect(r.status).toBe('converged');
    published.forEach(([vm, va], i) => {
      expect(Math.abs(r.buses[i].vmPu - vm)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(r.buses[i].vaDeg - va)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  });
  it('series losses 4.64 MW / 48.38 MVAr, slack 71.6 MW / 27.0 MVAr, total 319.6 MW / 22.8 MVAr', () => {
    expect(r.lossesMw).toBeCloseTo(4.64, 2);
    expect(r.lossesMvar).toBeCloseTo(48.38, 2);
    expect(r.generators[0].pMw).toBeCloseTo(71.6, 1);
    expect(r.generators[0].qMvar).toBeCloseTo(27.0, 1);
    expect(r.totals.generationMw).toBeCloseTo(319.6, 1);
    expect(r.totals.generationMvar).toBeCloseTo(22.8, 1);
  });
});

describe('case14 (MATPOWER 7.1)', () => {
  it('slack generator output 232.3932723532577 MW', () => {
    const r = solvePowerFlow(load('case14'));
    expect(Math.abs(r.generators[0].pMw - 232.3932723532577)).toBeLessThan(1e-6);
  });
});

describe('every bundled MATPOWER case converges and balances', () => {
  for (const name of ['case9', 'case14', 'case30', 'case39', 'case118', 'case33bw', 'case69']) {
    it(`${name}: Σ generation − Σ load − Σ shunt = series losses to 1e-6 MW`, () => {
      const r = solvePowerFlow(load(name));
      expect(r.status).toBe('converged');
      const { generationMw, loadMw, shuntMw } = r.totals;
      expect(Math.abs(generationMw - loadMw - shuntMw - r.lossesMw)).toBeLessThan(1e-6);
    });
  }
});

describe('DC power flow on the bundled cases', () => {
  it('is lossless: the slack covers load plus shunt conductance exactly', () => {
    for (const name of ['case9', 'case30', 'case118']) {
      const r = solvePowerFlow(load(name), { method: 'dc' });
      expect(r.lossesMw).toBe(0);
      expect(Math.abs(r.totals.generationMw - r.totals.loadMw - r.totals.shuntMw)).toBeLessThan(1e-9);
    }
  });
});
