// Solver port: problem description, builder and the HiGHS adapter. Nothing else in gridnest imports `highs`.

export { type OptimisationResult, type SolveOptions, solveOptimisation } from './highs-adapter.ts';
export { type OptimisationProblem, ProblemBuilder } from './problem.ts';
