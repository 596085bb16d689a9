// Numerical tolerances shared by solvers (DESIGN.md: power flow stops at ‖mismatch‖∞ < 1e-8 p.u.).

export const POWER_FLOW_TOLERANCE_PU = 1e-8;
export const POWER_FLOW_MAX_ITERATIONS = 20;
export const SWEEP_MAX_ITERATIONS = 100;
