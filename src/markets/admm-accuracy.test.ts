// ADMM's stopping rule at its default tolerance brings every agent's net position within 1e-3 of the exact optimum.
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../numeric/random.ts';
import { clearAdmm } from './admm.ts';
import { clearCentralised } from './centralised.ts';
import { solvePoolByBisection } from './pool-reference.ts';
import { generateMarketBook } from './random-market.ts';

/** Largest |e_admm − e_exact| over agents, relative to the largest |e_exact|. */
function worstPositionError(admm: readonly number[], exact: readonly number[]): number {
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < exact.length; i++) {
    worst = Math.max(worst, Math.abs(admm[i] - exact[i]));
    largest = Math.max(largest, Math.abs(exact[i]));
  }
  return worst / largest;
}

describe('ADMM accuracy against the exact optimum', () => {
  it('all pairs, no trade costs: positions within 1e-3 of the uniform-price pool (bisection)', () => {
    const book = generateMarketBook(uniformGenerator(150), { agentCount: 150 });
    const exact = solvePoolByBisection(book);
    const admm = clearAdmm(book);
    expect(admm.status).toBe('converged');
    const error = worstPositionError(
      admm.agents.map((a) => a.eKwh),
      exact.eKwh,
    );
    expect(error).toBeLessThan(1e-3);
  });

  it('restricted pairs with fees: positions within 1e-3 of the centralised QP optimum', async () => {
    const book = generateMarketBook(uniformGenerator(300), {
      agentCount: 300,
      partnersPerBuyer: 10,
      tradeCostMaxEurPerKwh: 0.02,
    });
    const exact = await clearCentralised(book);
    expect(exact.status).toBe('optimal');
    const admm = clearAdmm(book);
    expect(admm.status).toBe('converged');
    const error = worstPositionError(
      admm.agents.map((a) => a.eKwh),
      exact.agents.map((a) => a.eKwh),
    );
    expect(error).toBeLessThan(1e-3);
    // Welfare: the exact optimum is the lower bound of every feasible outcome's objective.
    expect(admm.objectiveEur).toBeGreaterThanOrEqual(
      exact.objectiveEur - 1e-9 * Math.abs(exact.objectiveEur),
    );
  });
});
