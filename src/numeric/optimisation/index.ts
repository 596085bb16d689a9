// Solver port: problem description, builder, and solveOptimisation (QP → numeric/qp, LP/MILP → HiGHS).
// Nothing else in gridnest imports `highs`.

export {
  type LpBasis,
  type OptimisationProblem,
  type OptimisationResult,
  ProblemBuilder,
  type SolveOptions,
} from './problem.ts';
export { solveOptimisation } from './solver-port.ts';
