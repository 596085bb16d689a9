// Regression: DC OPF on case118 (117 free bus angles with no curvature) once ended in a non-finite interior point
// iterate (the 1e-10 KKT regularisation let pivots grow to 1e21). Reference: HiGHS on the same problem.
import { describe, expect, it, vi } from 'vitest';
import { loadCase } from '../../io/case-registry.ts';
import { solveWithHighs } from '../../numeric/optimisation/highs-adapter.ts';
import type { OptimisationProblem } from '../../numeric/optimisation/problem.ts';
import { solveDcOpf } from './dc-opf.ts';

const captured = vi.hoisted(() => [] as OptimisationProblem[]);
vi.mock('../../numeric/optimisation/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../numeric/optimisation/index.ts')>();
  return {
    ...original,
    solveOptimisation: (problem: OptimisationProblem, options?: object) => {
      captured.push(problem);
      return original.solveOptimisation(problem, options);
    },
  };
});

describe('solveDcOpf on case118', () => {
  it('is optimal with HiGHS’ objective at full and reduced load', async () => {
    const network = loadCase('case118');
    for (const factor of [1, 0.5]) {
      captured.length = 0;
      const result = await solveDcOpf({
        ...network,
        loads: network.loads.map((l) => ({ ...l, pMw: l.pMw * factor })),
      });
      expect(result.status).toBe('optimal');
      const highs = await solveWithHighs(captured[0], {});
      expect(highs.status).toBe('optimal');
      expect(Math.abs(result.objectivePerH - highs.objective)).toBeLessThan(1e-7 * Math.abs(highs.objective));
    }
  });
});
