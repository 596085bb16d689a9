// Solver threads and LP warm starts: threads give bit-identical results to this thread; a warm-started LP reaches
// the same optimum as a cold solve (hand-derived on a small LP, cold HiGHS on random degenerate transport LPs).
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../random.ts';
import { type OptimisationProblem, ProblemBuilder, solveOptimisation } from './index.ts';
import { SolverThreads } from './solver-threads.ts';

/**
 * A random transport LP: `m` sources with supply s_i, `n` sinks with demand d_j (Σ s ≥ Σ d), cost c_ij from
 * a few integer levels (many ties, so degenerate), plus an unmet-demand column per sink at cost 100.
 */
function transportLp(seed: number, m: number, n: number): OptimisationProblem {
  const rand = uniformGenerator(seed);
  const b = new ProblemBuilder();
  const x = Array.from({ length: m }, () =>
    Array.from({ length: n }, () => b.addColumn(0, Number.POSITIVE_INFINITY, 1 + Math.floor(rand() * 4))),
  );
  const unmet = Array.from({ length: n }, () => b.addColumn(0, Number.POSITIVE_INFINITY, 100));
  for (let i = 0; i < m; i++)
    b.addRow(
      Number.NEGATIVE_INFINITY,
      5 + Math.floor(rand() * 10),
      x[i],
      x[i].map(() => 1),
    );
  for (let j = 0; j < n; j++) {
    const cols = [...x.map((row) => row[j]), unmet[j]];
    b.addRow(
      3 + Math.floor(rand() * 6),
      3 + Math.floor(rand() * 6) + 9,
      cols,
      cols.map(() => 1),
    );
  }
  return b.build();
}

const withCosts = (p: OptimisationProblem, seed: number): OptimisationProblem => {
  const rand = uniformGenerator(seed);
  return { ...p, colCost: p.colCost.map((c) => (c === 100 ? c : 1 + Math.floor(rand() * 4))) };
};

describe('SolverThreads', () => {
  it('solves LPs in worker threads with exactly the results of this thread', async () => {
    const problems = [1, 2, 3, 4, 5].map((seed) => transportLp(seed, 6, 9));
    const threads = new SolverThreads(2);
    try {
      const inThreads = await Promise.all(problems.map((p) => threads.solve(p)));
      for (const [i, p] of problems.entries()) {
        const here = await solveOptimisation(p);
        expect(inThreads[i].status).toBe('optimal');
        expect(inThreads[i].objective).toBe(here.objective);
        expect(Array.from(inThreads[i].x)).toEqual(Array.from(here.x));
        expect(Array.from(inThreads[i].rowDual)).toEqual(Array.from(here.rowDual));
      }
    } finally {
      await threads.close();
    }
  }, 30_000);

  it('rejects a thread count below one and pending solves after close', async () => {
    expect(() => new SolverThreads(0)).toThrow(RangeError);
    const threads = new SolverThreads(1);
    const pending = [threads.solve(transportLp(7, 4, 4)), threads.solve(transportLp(8, 4, 4))];
    const settled = Promise.allSettled(pending);
    await threads.close();
    for (const outcome of await settled) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/closed/);
    }
  }, 30_000);
});

describe('LP warm start (SolveOptions.basis)', () => {
  it('re-solves a small LP from the basis of a different cost to the hand-derived optimum', async () => {
    // min c·x s.t. x + y ≥ 4, x ≤ 3. With c = (2, 3): x = 3, y = 1 (9). With c = (3, 2): x = 0, y = 4 (8).
    const build = (cx: number, cy: number) => {
      const b = new ProblemBuilder();
      b.addColumn(0, 3, cx);
      b.addColumn(0, Number.POSITIVE_INFINITY, cy);
      b.addRow(4, Number.POSITIVE_INFINITY, [0, 1], [1, 1]);
      return b.build();
    };
    const first = await solveOptimisation(build(2, 3), { keepBasis: true });
    expect(first.basis?.colStatus.length).toBe(2);
    expect(first.basis?.rowStatus.length).toBe(1);
    const warm = await solveOptimisation(build(3, 2), { basis: first.basis });
    expect(warm.status).toBe('optimal');
    expect(warm.objective).toBeCloseTo(8, 9);
    expect(warm.x[1]).toBeCloseTo(4, 9);
    expect(warm.rowDual[0]).toBeCloseTo(2, 9);
  });

  it('reaches the cold optimum on random degenerate LPs and ignores a basis of another shape', async () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const base = transportLp(seed, 7, 10);
      const first = await solveOptimisation(base, { keepBasis: true });
      const changed = withCosts(base, seed + 100);
      const cold = await solveOptimisation(changed);
      const warm = await solveOptimisation(changed, { basis: first.basis });
      expect(warm.status).toBe('optimal');
      expect(Math.abs(warm.objective - cold.objective)).toBeLessThanOrEqual(1e-9 * Math.abs(cold.objective));
      // Feasible: every row activity within its bounds.
      for (let r = 0; r < changed.numRows; r++) {
        expect(warm.rowActivity[r]).toBeGreaterThanOrEqual(changed.rowLower[r] - 1e-9);
        expect(warm.rowActivity[r]).toBeLessThanOrEqual(changed.rowUpper[r] + 1e-9);
      }
    }
    const other = await solveOptimisation(transportLp(21, 3, 3), { keepBasis: true });
    const problem = transportLp(22, 7, 10);
    const ignored = await solveOptimisation(problem, { basis: other.basis });
    expect(ignored.objective).toBe((await solveOptimisation(problem)).objective);
  });

  it('returns no basis unless asked, and none for a QP', async () => {
    expect((await solveOptimisation(transportLp(31, 3, 3))).basis).toBeUndefined();
    const b = new ProblemBuilder();
    const x = b.addColumn(-10, 10);
    b.addQuadraticCost(x, x, 1);
    b.addRow(1, 1, [x], [1]);
    expect((await solveOptimisation(b.build(), { keepBasis: true })).basis).toBeUndefined();
  });
});
