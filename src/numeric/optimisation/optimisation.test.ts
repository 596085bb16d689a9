// Tests of the solver port against problems with hand-computed optima and duals.
import { describe, expect, it } from 'vitest';
import { ProblemBuilder, solveOptimisation } from './index.ts';

describe('solveOptimisation', () => {
  it('solves an LP and returns row duals as the marginal objective change', async () => {
    // min 2x + 3y  s.t. x + y >= 4, x <= 3  → x = 3, y = 1, objective 9; one more unit of demand costs 3.
    const b = new ProblemBuilder();
    const x = b.addColumn(0, 3, 2);
    const y = b.addColumn(0, Number.POSITIVE_INFINITY, 3);
    b.addRow(4, Number.POSITIVE_INFINITY, [x, y], [1, 1]);
    const result = await solveOptimisation(b.build());
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(9, 9);
    expect(result.x[x]).toBeCloseTo(3, 9);
    expect(result.rowDual[0]).toBeCloseTo(3, 9);
  });

  it('solves a convex QP: min ½(x²+y²) s.t. x + y = 2 → x = y = 1, dual 1', async () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(-10, 10);
    const y = b.addColumn(-10, 10);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(y, y, 1);
    b.addRow(2, 2, [x, y], [1, 1]);
    const result = await solveOptimisation(b.build());
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(1, 7);
    expect(result.x[x]).toBeCloseTo(1, 6);
    expect(result.rowDual[0]).toBeCloseTo(1, 6);
  });

  it('solves a MILP', async () => {
    // max 30a + 50b s.t. a + 2b <= 40, 2a + b <= 50, integer → a=20, b=10, 1100.
    const builder = new ProblemBuilder().setSense('maximize');
    const a = builder.addColumn(0, Number.POSITIVE_INFINITY, 30, 'a', true);
    const c = builder.addColumn(0, Number.POSITIVE_INFINITY, 50, 'b', true);
    builder.addRow(Number.NEGATIVE_INFINITY, 40, [a, c], [1, 2]);
    builder.addRow(Number.NEGATIVE_INFINITY, 50, [a, c], [2, 1]);
    const result = await solveOptimisation(builder.build());
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(1100, 6);
  });

  it('reports infeasibility as a status', async () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(0, 1, 1);
    b.addRow(2, Number.POSITIVE_INFINITY, [x], [1]);
    const result = await solveOptimisation(b.build());
    expect(result.status).toBe('infeasible');
  });

  it('reports unboundedness as a status', async () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1);
    b.addRow(Number.NEGATIVE_INFINITY, 5, [x], [1]);
    const result = await solveOptimisation(b.build());
    expect(['unbounded', 'infeasible']).toContain(result.status);
    expect(result.status).not.toBe('optimal');
  });
});
