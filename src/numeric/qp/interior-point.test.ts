// Tests of the interior point QP solver: hand-solved QPs, HiGHS on problems it finishes, KKT on the rest,
// infeasibility and unboundedness, degenerate and ill-conditioned cases.
import { describe, expect, it } from 'vitest';
import { buildCentralisedProblem } from '../../markets/centralised.ts';
import { generateMarketBook } from '../../markets/random-market.ts';
import { solveWithHighs } from '../optimisation/highs-adapter.ts';
import { ProblemBuilder } from '../optimisation/problem.ts';
import { uniformGenerator } from '../random.ts';
import { solveQp } from './index.ts';
import { checkKkt, randomSparseQp } from './qp-test-helpers.ts';

const INF = Number.POSITIVE_INFINITY;

describe('solveQp on hand-solved QPs', () => {
  it('min ½(x² + y²) s.t. x + y = 2 → x = y = 1, row dual 1', () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(-10, 10);
    const y = b.addColumn(-10, 10);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(y, y, 1);
    b.addRow(2, 2, [x, y], [1, 1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(1, 9);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(r.rowDual[0]).toBeCloseTo(1, 8);
    expect(r.iterations).toBeGreaterThan(0);
  });

  it('active column bound: min ½(x − 3)² on [0, 2] → x = 2, reduced cost x − 3 = −1', () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(0, 2, -3);
    b.addQuadraticCost(x, x, 1);
    b.addOffset(4.5);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBeCloseTo(2, 8);
    expect(r.objective).toBeCloseTo(0.5, 8);
    expect(r.colDual[0]).toBeCloseTo(-1, 8);
  });

  it('ranged row at its upper bound: min ½x² + ½y² − 2x − 2y, 0 ≤ x + y ≤ 1 → x = y = ½, dual ub/2 − 2 = −1.5', () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(-INF, INF, -2);
    const y = b.addColumn(-INF, INF, -2);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(y, y, 1);
    b.addRow(0, 1, [x, y], [1, 1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBeCloseTo(0.5, 8);
    expect(r.x[1]).toBeCloseTo(0.5, 8);
    expect(r.rowActivity[0]).toBeCloseTo(1, 8);
    // objective(ub) = ub²/4 − 2·ub, so ∂/∂ub = ub/2 − 2.
    expect(r.rowDual[0]).toBeCloseTo(-1.5, 8);
  });

  it('maximisation: max −½x² + 4x s.t. x ≤ 3 → x = 3, objective 7.5, ∂objective/∂ub = 1', () => {
    const b = new ProblemBuilder().setSense('maximize');
    const x = b.addColumn(-INF, INF, 4);
    b.addQuadraticCost(x, x, -1);
    b.addRow(-INF, 3, [x], [1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBeCloseTo(3, 8);
    expect(r.objective).toBeCloseTo(7.5, 8);
    expect(r.rowDual[0]).toBeCloseTo(1, 7);
  });

  it('a fixed column coupled through Q: x = 2 fixed, Q = [[1, −1], [−1, 3]] → y = 2/3, objective 4/3', () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(2, 2);
    const y = b.addColumn(-5, 5);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(x, y, -1);
    b.addQuadraticCost(y, y, 3);
    b.addRow(-INF, 10, [x, y], [1, 1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBe(2);
    expect(r.x[1]).toBeCloseTo(2 / 3, 8);
    expect(r.objective).toBeCloseTo(4 / 3, 8);
    // The fixed column's multiplier is its reduced cost (Qx)_x = x − y = 4/3.
    expect(r.colDual[0]).toBeCloseTo(4 / 3, 8);
    expect(r.rowActivity[0]).toBeCloseTo(8 / 3, 8);
  });
});

describe('solveQp against HiGHS', () => {
  it('a random strictly convex sparse QP: objective, primal and duals agree', async () => {
    const problem = randomSparseQp(7, 150, 60, { ridge: 0.05 });
    const ours = solveQp(problem);
    const highs = await solveWithHighs(problem, {});
    expect(highs.status).toBe('optimal');
    expect(ours.status).toBe('optimal');
    expect(Math.abs(ours.objective - highs.objective)).toBeLessThan(1e-7 * (1 + Math.abs(highs.objective)));
    let dx = 0;
    let dy = 0;
    let yScale = 0;
    for (let j = 0; j < problem.numCols; j++) dx = Math.max(dx, Math.abs(ours.x[j] - highs.x[j]));
    for (let i = 0; i < problem.numRows; i++) {
      dy = Math.max(dy, Math.abs(ours.rowDual[i] - highs.rowDual[i]));
      yScale = Math.max(yScale, Math.abs(highs.rowDual[i]));
    }
    expect(dx).toBeLessThan(1e-5);
    expect(dy).toBeLessThan(1e-5 * (1 + yScale));
  });

  it('market clearing QPs (all pairs; restricted pairs with fees): same welfare, both pass the KKT check', async () => {
    for (const [agentCount, partnersPerBuyer, fee] of [
      [60, undefined, 0],
      [200, 10, 0.02],
    ] as const) {
      const book = generateMarketBook(uniformGenerator(agentCount), {
        agentCount,
        partnersPerBuyer,
        tradeCostMaxEurPerKwh: fee,
      });
      const { problem } = buildCentralisedProblem(book);
      const ours = solveQp(problem);
      const highs = await solveWithHighs(problem, {});
      expect(ours.status).toBe('optimal');
      expect(highs.status).toBe('optimal');
      expect(Math.abs(ours.objective - highs.objective)).toBeLessThan(1e-8 * Math.abs(highs.objective));
      const kkt = checkKkt(problem, ours.x, ours.rowDual, ours.colDual);
      expect(kkt.primalViolation).toBeLessThan(1e-7);
      // The stopping rule bounds Σ slack·multiplier by 1e-9·(1 + |objective|) on the scaled problem.
      expect(kkt.complementarity).toBeLessThan(1e-8 * (1 + Math.abs(kkt.objective)));
      expect(kkt.relativeGap).toBeLessThan(1e-8);
    }
  });
});

describe('solveQp on problems checked by their KKT conditions', () => {
  it('random sparse QPs with singular Q and every kind of row and bound satisfy KKT and close the duality gap', () => {
    for (const seed of [1, 2, 3]) {
      const problem = randomSparseQp(seed, 400, 150, { rankDeficit: 120 });
      const r = solveQp(problem);
      expect(r.status).toBe('optimal');
      const kkt = checkKkt(problem, r.x, r.rowDual, r.colDual);
      expect(kkt.primalViolation).toBeLessThan(1e-7);
      expect(kkt.stationarity).toBeLessThan(1e-7);
      // The stopping rule bounds Σ slack·multiplier by 1e-9·(1 + |objective|) on the scaled problem.
      expect(kkt.complementarity).toBeLessThan(1e-8 * (1 + Math.abs(kkt.objective)));
      expect(kkt.relativeGap).toBeLessThan(1e-7);
      expect(r.objective).toBeCloseTo(kkt.objective, 9);
    }
  });
});

describe('solveQp status detection', () => {
  it('reports crossed bounds, an unreachable row and conflicting equalities as infeasible', () => {
    const crossed = new ProblemBuilder();
    crossed.addColumn(1, 0);
    expect(solveQp(crossed.build()).status).toBe('infeasible');
    const unreachable = new ProblemBuilder();
    const x = unreachable.addColumn(0, 1);
    unreachable.addQuadraticCost(x, x, 1);
    unreachable.addRow(2, INF, [x], [1]);
    expect(solveQp(unreachable.build()).status).toBe('infeasible');
    const conflicting = new ProblemBuilder();
    const a = conflicting.addColumn(-INF, INF);
    const c = conflicting.addColumn(-INF, INF);
    conflicting.addQuadraticCost(a, a, 1);
    conflicting.addRow(1, 1, [a, c], [1, 1]);
    conflicting.addRow(2, 2, [a, c], [1, 1]);
    const r = solveQp(conflicting.build());
    expect(r.status).toBe('infeasible');
    expect(Number.isNaN(r.objective)).toBe(true);
  });

  it('reports a descent direction of zero curvature as unbounded', () => {
    // min ½x² − y, y ≥ 0: y → ∞ lowers the objective without bound.
    const b = new ProblemBuilder();
    const x = b.addColumn(-INF, INF);
    b.addColumn(0, INF, -1);
    b.addQuadraticCost(x, x, 1);
    b.addRow(-INF, 5, [x], [1]);
    expect(solveQp(b.build()).status).toBe('unbounded');
    // A bounded twin (y ≤ 7) is optimal at y = 7.
    const bounded = new ProblemBuilder();
    bounded.addColumn(-INF, INF);
    const y2 = bounded.addColumn(0, 7, -1);
    bounded.addQuadraticCost(0, 0, 1);
    const r = solveQp(bounded.build());
    expect(r.status).toBe('optimal');
    expect(r.x[y2]).toBeCloseTo(7, 7);
  });

  it('stops with not_converged at the iteration limit', () => {
    const r = solveQp(randomSparseQp(4, 100, 40), { maxIterations: 2 });
    expect(r.status).toBe('not_converged');
    expect(r.iterations).toBe(2);
  });
});

describe('solveQp on degenerate and ill-conditioned problems', () => {
  it('a repeated equality row (rank-deficient A): x unique, the two duals sum to the single-row dual', () => {
    // min ½(x² + y²) s.t. x + y = 2 twice → x = y = 1; one row alone has dual 1.
    const b = new ProblemBuilder();
    const x = b.addColumn(-INF, INF);
    const y = b.addColumn(-INF, INF);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(y, y, 1);
    b.addRow(2, 2, [x, y], [1, 1]);
    b.addRow(2, 2, [x, y], [1, 1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0]).toBeCloseTo(1, 7);
    expect(r.rowDual[0] + r.rowDual[1]).toBeCloseTo(1, 6);
  });

  it('a degenerate vertex: three constraints active at the origin with zero multipliers', () => {
    // min ½(x² + y²) s.t. x + y ≥ 0, x − y ≥ 0, x ≥ 0: the unconstrained optimum (0, 0) touches all three.
    // Strict complementarity fails (slack and multiplier both vanish), so slacks shrink like √μ: with the
    // complementarity tolerance τ, |x| is O(√τ) — asked for here with τ = 1e-14.
    const b = new ProblemBuilder();
    const x = b.addColumn(0, INF);
    const y = b.addColumn(-INF, INF);
    b.addQuadraticCost(x, x, 1);
    b.addQuadraticCost(y, y, 1);
    b.addRow(0, INF, [x, y], [1, 1]);
    b.addRow(0, INF, [x, y], [1, -1]);
    const r = solveQp(b.build(), { tolerance: 1e-14 });
    expect(r.status).toBe('optimal');
    expect(Math.abs(r.x[0]) + Math.abs(r.x[1])).toBeLessThan(1e-6);
    expect(Math.abs(r.rowDual[0]) + Math.abs(r.rowDual[1])).toBeLessThan(1e-6);
  });

  it('curvatures 12 orders of magnitude apart: min ½(10⁶x² + 10⁻⁶y²) − x − y → x = 10⁻⁶, y = 10⁶', () => {
    const b = new ProblemBuilder();
    const x = b.addColumn(-1e7, 1e7, -1);
    const y = b.addColumn(-1e7, 1e7, -1);
    b.addQuadraticCost(x, x, 1e6);
    b.addQuadraticCost(y, y, 1e-6);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[0] / 1e-6).toBeCloseTo(1, 6);
    expect(r.x[1] / 1e6).toBeCloseTo(1, 6);
    expect(r.objective).toBeCloseTo(-0.5e6 - 0.5e-6, 2);
  });

  it('an LP-like QP (most columns without curvature) with a continuum of optimal trades', () => {
    // One seller (cost ½e²) and one buyer (utility 4b − ½b²) joined by three parallel cost-free trades:
    // e = b = 2 at price 2; the split between the trades is arbitrary, their sum is not.
    const b = new ProblemBuilder();
    const e = b.addColumn(0, 10);
    const d = b.addColumn(0, 10, -4);
    b.addQuadraticCost(e, e, 1);
    b.addQuadraticCost(d, d, 1);
    const t = [b.addColumn(0, 10), b.addColumn(0, 10), b.addColumn(0, 10)];
    b.addRow(0, 0, [e, ...t], [1, -1, -1, -1]);
    b.addRow(0, 0, [d, ...t], [1, -1, -1, -1]);
    const r = solveQp(b.build());
    expect(r.status).toBe('optimal');
    expect(r.x[e]).toBeCloseTo(2, 7);
    expect(r.x[d]).toBeCloseTo(2, 7);
    expect(r.x[t[0]] + r.x[t[1]] + r.x[t[2]]).toBeCloseTo(2, 7);
  });
});
