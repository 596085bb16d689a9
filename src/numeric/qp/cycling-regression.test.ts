// Regression: the TSO DC OPF of bench/simulation-scale.bench.ts at hour 7 (case118) made the interior point method
// cycle (a generator free in its range jumped between its bounds) until the iteration limit with one common
// primal–dual step length. Reference: HiGHS on the same problem (fixture written from the solver port's input).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { solveWithHighs } from '../optimisation/highs-adapter.ts';
import type { OptimisationProblem } from '../optimisation/problem.ts';
import { solveQp } from './index.ts';
import { checkKkt } from './qp-test-helpers.ts';

function loadFixture(): OptimisationProblem {
  const text = readFileSync(new URL('./fixtures/tso-dc-opf-hour7.json', import.meta.url), 'utf8');
  const revive = (_key: string, value: unknown) => {
    if (value && typeof value === 'object' && '__t' in value) {
      const { __t, d } = value as { __t: string; d: (number | string)[] };
      const values = d.map(Number); // "Infinity" / "-Infinity" were written as strings
      return __t === 'Int32Array' ? Int32Array.from(values) : Float64Array.from(values);
    }
    return value;
  };
  return (JSON.parse(text, revive) as { problem: OptimisationProblem }).problem;
}

describe('solveQp on a degenerate DC OPF that once cycled', () => {
  it('is optimal with HiGHS’ objective and passes the KKT check', async () => {
    const problem = loadFixture();
    const ours = solveQp(problem);
    const highs = await solveWithHighs(problem, {});
    expect(highs.status).toBe('optimal');
    expect(ours.status).toBe('optimal');
    expect(ours.iterations).toBeLessThan(50);
    expect(Math.abs(ours.objective - highs.objective)).toBeLessThan(1e-8 * Math.abs(highs.objective));
    const kkt = checkKkt(problem, ours.x, ours.rowDual, ours.colDual);
    expect(kkt.primalViolation).toBeLessThan(1e-6);
    expect(kkt.relativeGap).toBeLessThan(1e-8);
  });
});
