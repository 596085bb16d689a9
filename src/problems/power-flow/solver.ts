// The contract between the prepared power flow and its solvers (Newton–Raphson, sweep, DC): a solver updates the
// bus voltages in place for specified net injections and reports how it went.

export interface SolverSettings {
  /** Stop when ‖mismatch‖∞ < tolerancePu (p.u.). */
  readonly tolerancePu: number;
  readonly maxIterations: number;
}

export interface SolverOutcome {
  readonly converged: boolean;
  readonly iterations: number;
  /** ‖F‖∞ at the end (p.u.). */
  readonly maxMismatchPu: number;
  /** Reason when not converged (e.g. singular Jacobian, iteration limit, divergence). */
  readonly message?: string;
}

/** A solver for one prepared network; `solve` may be called many times. */
export interface PowerFlowSolver {
  /**
   * Solve for vmPu / vaRad in place (they hold the start on entry) for the specified net injections
   * pSpecPu / qSpecPu (generation − load, p.u.) and bus types (pq / pv / slack, as in IndexedNetwork).
   */
  solve(
    pSpecPu: Float64Array,
    qSpecPu: Float64Array,
    vmPu: Float64Array,
    vaRad: Float64Array,
    busType: Int8Array,
  ): SolverOutcome;
}
