// The bundled distribution networks (CIGRE LV/MV, IEEE European LV) solve with NR and the sweep, and the two agree.
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../io/case-registry.ts';
import { solvePowerFlow } from './index.ts';

describe('bundled distribution networks', () => {
  for (const name of ['cigre-lv', 'cigre-mv', 'ieee-european-lv']) {
    it(`${name}: NR and backward/forward sweep converge to the same state and balance power`, () => {
      const network = loadCase(name);
      const nr = solvePowerFlow(network, { method: 'nr' });
      const bfs = solvePowerFlow(network, { method: 'bfs' });
      expect(nr.status).toBe('converged');
      expect(bfs.status).toBe('converged');
      nr.buses.forEach((bus, i) => {
        expect(Math.abs(bus.vmPu - bfs.buses[i].vmPu)).toBeLessThan(1e-7);
      });
      expect(Math.abs(nr.lossesMw - bfs.lossesMw)).toBeLessThan(1e-7);
      const { generationMw, loadMw, shuntMw } = nr.totals;
      expect(Math.abs(generationMw - loadMw - shuntMw - nr.lossesMw)).toBeLessThan(1e-6);
    });
  }
});
