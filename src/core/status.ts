// Result statuses: expected numerical outcomes are reported as data, never thrown (DESIGN.md conventions).

/** Outcome of an iterative solve (power flow, ADMM, ...). */
export type ConvergenceStatus = 'converged' | 'not_converged';

/** Outcome of an optimisation problem. */
export type OptimisationStatus = 'optimal' | 'infeasible' | 'unbounded' | 'not_converged' | 'error';

export type Status = ConvergenceStatus | OptimisationStatus;
