// Tests of the network Newton system (normal equations by tree-preconditioned CG) inside the interior point method:
// hand-solved flows, HiGHS and the uniform-price pool as independent references, the KKT/duality-gap check.
import { describe, expect, it } from 'vitest';
import { buildCentralisedProblem } from '../../markets/centralised.ts';
import { solvePoolByBisection } from '../../markets/pool-reference.ts';
import { generateMarketBook } from '../../markets/random-market.ts';
import { solveWithHighs } from '../optimisation/highs-adapter.ts';
import { ProblemBuilder } from '../optimisation/problem.ts';
import { uniformGenerator } from '../random.ts';
import { solveQp } from './index.ts';
import { checkKkt, randomSparseQp } from './qp-test-helpers.ts';

describe('solveQp with the network Newton system', () => {
  it('one seller, one buyer, one trade: min ½e₁² + ½e₂² + 4e₂, e₁ = t, e₂ = −t → t = 2, objective −4', () => {
    // By hand: the objective is ½t² + ½t² − 4t, so t = 2 and the objective −4.
    const b = new ProblemBuilder();
    const e1 = b.addColumn(0, 10);
    const e2 = b.addColumn(-10, 0, 4);
    const t = b.addColumn(0, 10);
    b.addQuadraticCost(e1, e1, 1);
    b.addQuadraticCost(e2, e2, 1);
    b.addRow(0, 0, [e1, t], [1, -1]);
    b.addRow(0, 0, [e2, t], [1, 1]);
    const r = solveQp(b.build(), { newtonSystem: 'network' });
    expect(r.status).toBe('optimal');
    expect(r.x[t]).toBeCloseTo(2, 7);
    expect(r.x[e1]).toBeCloseTo(2, 7);
    expect(r.x[e2]).toBeCloseTo(-2, 7);
    expect(r.objective).toBeCloseTo(-4, 7);
    // ∂objective/∂rhs of the seller's balance: e₁ = t + rhs, so ∂/∂rhs = e₁ = 2 at fixed t.
    expect(r.rowDual[0]).toBeCloseTo(2, 6);
  });

  it('market with fees (300 agents × 10 partners): same objective as HiGHS, KKT and zero duality gap', async () => {
    const book = generateMarketBook(uniformGenerator(300), {
      agentCount: 300,
      partnersPerBuyer: 10,
      tradeCostMaxEurPerKwh: 0.02,
    });
    const { problem } = buildCentralisedProblem(book);
    const ours = solveQp(problem, { newtonSystem: 'network' });
    const highs = await solveWithHighs(problem, {});
    expect(highs.status).toBe('optimal');
    expect(ours.status).toBe('optimal');
    expect(Math.abs(ours.objective - highs.objective)).toBeLessThan(1e-8 * Math.abs(highs.objective));
    // Agents at a bound have an interval of valid prices, so the duals are checked by KKT, not against HiGHS.
    const kkt = checkKkt(problem, ours.x, ours.rowDual, ours.colDual);
    expect(kkt.primalViolation).toBeLessThan(1e-7);
    expect(kkt.stationarity).toBeLessThan(1e-7);
    expect(kkt.relativeGap).toBeLessThan(1e-8);
  });

  it('degenerate all-pairs market without fees (a continuum of optimal trades): the pool optimum', () => {
    const book = generateMarketBook(uniformGenerator(120), { agentCount: 120, tradeCostMaxEurPerKwh: 0 });
    const pool = solvePoolByBisection(book);
    const { problem } = buildCentralisedProblem(book);
    const ours = solveQp(problem, { newtonSystem: 'network' });
    expect(ours.status).toBe('optimal');
    // The problem's objective is the book's scaled by 1/max curvature (buildCentralisedProblem).
    const scale = 1 / Math.max(...book.agents.map((a) => a.costQuadEurPerKwh2));
    expect(Math.abs(ours.objective / scale - pool.objectiveEur)).toBeLessThan(
      1e-7 * Math.abs(pool.objectiveEur),
    );
    const largest = Math.max(...pool.eKwh.map(Math.abs));
    for (let i = 0; i < book.agents.length; i++)
      expect(Math.abs(ours.x[i] - pool.eKwh[i])).toBeLessThan(1e-6 * largest);
  });

  it('the automatic choice gives the direct solve’s optimum on a mid-size market', () => {
    const book = generateMarketBook(uniformGenerator(400), {
      agentCount: 400,
      partnersPerBuyer: 8,
      tradeCostMaxEurPerKwh: 0.02,
    });
    const { problem } = buildCentralisedProblem(book);
    const auto = solveQp(problem);
    const direct = solveQp(problem, { newtonSystem: 'direct' });
    expect(auto.status).toBe('optimal');
    expect(Math.abs(auto.objective - direct.objective)).toBeLessThan(1e-9 * Math.abs(direct.objective));
  });

  it('reports infeasible (buyer needs ≥ 5, seller has ≤ 2) and unbounded (free agents, trade paid to run)', () => {
    const b = new ProblemBuilder();
    const e1 = b.addColumn(0, 2);
    const e2 = b.addColumn(-10, -5, 4);
    const t = b.addColumn(0, 10);
    b.addQuadraticCost(e1, e1, 1);
    b.addQuadraticCost(e2, e2, 1);
    b.addRow(0, 0, [e1, t], [1, -1]);
    b.addRow(0, 0, [e2, t], [1, 1]);
    expect(solveQp(b.build(), { newtonSystem: 'network' }).status).toBe('infeasible');
    const c = new ProblemBuilder();
    const a1 = c.addColumn(-Infinity, Infinity);
    const a2 = c.addColumn(-Infinity, Infinity);
    const trade = c.addColumn(0, Infinity, -1);
    c.addRow(0, 0, [a1, trade], [1, -1]);
    c.addRow(0, 0, [a2, trade], [1, 1]);
    expect(solveQp(c.build(), { newtonSystem: 'network' }).status).toBe('unbounded');
  });

  it('refuses the network system for a QP without network structure', () => {
    expect(() => solveQp(randomSparseQp(3, 30, 12), { newtonSystem: 'network' })).toThrow(RangeError);
  });
});
