// Tests of the solver port against problems with hand-computed optima and duals.
import { describe, expect, it } from 'vitest';
import { ProblemBuilder, solveOptimisation } from './index.ts';
import { buildPiecewiseLinearStandIn } from './piecewise-fallback.ts';

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

describe('piecewise-linear stand-in for a separable QP', () => {
  // min ½·2x² + ½·6y² − 8x s.t. x + y = 2, x, y ∈ [−4, 4]: KKT 2x − 8 = 6y = λ, x + y = 2 → x = 2.5, y = −0.5, λ = −3.
  function quadraticProblem() {
    const b = new ProblemBuilder();
    const x = b.addColumn(-4, 4, -8);
    const y = b.addColumn(-4, 4, 0);
    b.addQuadraticCost(x, x, 2);
    b.addQuadraticCost(y, y, 6);
    b.addRow(2, 2, [x, y], [1, 1]);
    return b.build();
  }

  it('approximates the QP optimum within half a segment and the dual within one segment of marginal cost', async () => {
    const standIn = buildPiecewiseLinearStandIn(quadraticProblem(), 40)!;
    expect(standIn.hessian).toBeUndefined();
    const result = await solveOptimisation(standIn);
    expect(result.status).toBe('optimal');
    const width = 8 / 40;
    expect(Math.abs(result.x[0] - 2.5)).toBeLessThanOrEqual(width / 2 + 1e-9);
    expect(Math.abs(result.x[1] + 0.5)).toBeLessThanOrEqual(width / 2 + 1e-9);
    // Marginal costs 2x − 8 and 6y differ from λ by at most q·w/2 = 6·0.1.
    expect(Math.abs(result.rowDual[0] + 3)).toBeLessThanOrEqual(6 * (width / 2) + 1e-9);
    // Objective error ≤ Σ q·w²/8 per term.
    const exact = 0.5 * 2 * 2.5 ** 2 + 0.5 * 6 * 0.25 - 8 * 2.5;
    expect(Math.abs(result.objective - exact)).toBeLessThanOrEqual(((2 + 6) * width * width) / 8 + 1e-9);
  });

  it('declines what it cannot represent: off-diagonal Q, unbounded quadratic columns, maximisation', () => {
    const coupled = new ProblemBuilder();
    const a = coupled.addColumn(-1, 1);
    const c = coupled.addColumn(-1, 1);
    coupled.addQuadraticCost(a, c, 1);
    expect(buildPiecewiseLinearStandIn(coupled.build())).toBeUndefined();
    const unbounded = new ProblemBuilder();
    const u = unbounded.addColumn(0, Number.POSITIVE_INFINITY);
    unbounded.addQuadraticCost(u, u, 1);
    expect(buildPiecewiseLinearStandIn(unbounded.build())).toBeUndefined();
    const maximise = quadraticProblem();
    expect(buildPiecewiseLinearStandIn({ ...maximise, sense: 'maximize' })).toBeUndefined();
  });
});
