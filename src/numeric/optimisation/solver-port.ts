// The solver port: convex QPs go to the interior point solver in numeric/qp, LPs and MILPs to HiGHS.
import { solveQp } from '../qp/index.ts';
import { solveWithHighs } from './highs-adapter.ts';
import type { OptimisationProblem, OptimisationResult, SolveOptions } from './problem.ts';

/**
 * Solve an LP, convex QP or MILP. A problem with a Hessian and no integer columns is solved by the sparse
 * interior point method (`solveQp`, Mehrotra predictor–corrector); everything else by HiGHS. Numerical outcomes
 * are a status, never an exception.
 */
export async function solveOptimisation(
  problem: OptimisationProblem,
  options: SolveOptions = {},
): Promise<OptimisationResult> {
  if (!problem.hessian || problem.integrality) return solveWithHighs(problem, options);
  const result = solveQp(problem, { timeLimitS: options.timeLimitS });
  const optimal = result.status === 'optimal';
  return {
    status: result.status,
    solverStatus: `interior point: ${result.message} after ${result.iterations} iterations`,
    objective: optimal ? result.objective : Number.NaN,
    x: result.x,
    rowActivity: result.rowActivity,
    rowDual: result.rowDual,
    colDual: result.colDual,
  };
}
