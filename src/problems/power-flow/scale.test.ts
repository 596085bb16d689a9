// Scale tests: 10,000-bus radial and 2,000-bus meshed networks solve with sparse structures and agree across methods.
import { describe, expect, it } from 'vitest';
import { createSyntheticMeshedGrid, createSyntheticRadialFeeder } from '../../grid/synthetic-networks.ts';
import { preparePowerFlow, solvePowerFlow } from './index.ts';

describe('large networks', () => {
  it('a 10,000-bus radial feeder: NR and the sweep converge to the same voltages and conserve power', () => {
    const network = createSyntheticRadialFeeder(10_000, 3);
    const heapBefore = process.memoryUsage().heapUsed;
    const nr = preparePowerFlow(network, { method: 'nr' }).solveArrays();
    // A dense Jacobian of this size alone would need 20,000² × 8 B = 3.2 GB.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(300e6);
    const bfs = preparePowerFlow(network, { method: 'bfs' }).solveArrays();
    expect(nr.outcome.converged).toBe(true);
    expect(bfs.outcome.converged).toBe(true);
    let worst = 0;
    for (let i = 0; i < nr.vmPu.length; i++) worst = Math.max(worst, Math.abs(nr.vmPu[i] - bfs.vmPu[i]));
    expect(worst).toBeLessThan(1e-5);
    const loadMw = nr.pLoadMw.reduce((a, b) => a + b, 0);
    expect(Math.abs(nr.pGenMw[0] - loadMw - nr.lossesMw)).toBeLessThan(1e-6);
  });

  it('a 2,000-bus meshed grid converges with NR and balances', () => {
    const result = solvePowerFlow(createSyntheticMeshedGrid(40, 50, 3));
    expect(result.status).toBe('converged');
    expect(result.iterations).toBeLessThanOrEqual(6);
    const { generationMw, loadMw, shuntMw } = result.totals;
    expect(Math.abs(generationMw - loadMw - shuntMw - result.lossesMw)).toBeLessThan(1e-6);
  });
});
