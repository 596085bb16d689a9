// Recursive least squares with exponential forgetting: the online identification of a platform's affine models.
//
// For features φ (length p) and a measurement y, with forgetting factor λ ∈ (0, 1] (Ljung 1999, §11.2):
//   K = P·φ / (λ + φᵀ·P·φ),   θ ← θ + K·(y − φᵀ·θ),   P ← (P − K·φᵀ·P) / λ.
// The running variance s² of the a-posteriori residuals (the same forgetting) sizes the model's safety margin.

/** State of one RLS estimator (mutable; copy with `cloneRls`). */
export interface RlsState {
  readonly theta: Float64Array;
  /** Covariance P, row-major p×p. */
  readonly covariance: Float64Array;
  readonly forgetting: number;
  /** Exponentially weighted residual variance and its weight. */
  residualVariance: number;
  weight: number;
}

/** An estimator at θ₀ with covariance P₀ = priorVariance·I. */
export function createRls(theta0: ArrayLike<number>, priorVariance: number, forgetting: number): RlsState {
  const p = theta0.length;
  const covariance = new Float64Array(p * p);
  for (let i = 0; i < p; i++) covariance[i * p + i] = priorVariance;
  return { theta: Float64Array.from(theta0), covariance, forgetting, residualVariance: 0, weight: 0 };
}

export function cloneRls(s: RlsState): RlsState {
  return { ...s, theta: Float64Array.from(s.theta), covariance: Float64Array.from(s.covariance) };
}

/** φᵀθ. */
export function predictRls(s: RlsState, phi: ArrayLike<number>): number {
  let y = 0;
  for (let i = 0; i < phi.length; i++) y += phi[i] * s.theta[i];
  return y;
}

/** One RLS update with measurement y at features φ (in place). */
export function updateRls(s: RlsState, phi: ArrayLike<number>, y: number): void {
  const p = phi.length;
  const P = s.covariance;
  const lambda = s.forgetting;
  const pPhi = new Float64Array(p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) pPhi[i] += P[i * p + j] * phi[j];
  let denominator = lambda;
  for (let i = 0; i < p; i++) denominator += phi[i] * pPhi[i];
  const error = y - predictRls(s, phi);
  for (let i = 0; i < p; i++) s.theta[i] += (pPhi[i] / denominator) * error;
  // P ← (P − P·φ·φᵀ·P / d) / λ (P symmetric, so φᵀP = (Pφ)ᵀ).
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) P[i * p + j] = (P[i * p + j] - (pPhi[i] * pPhi[j]) / denominator) / lambda;
  // The a-posteriori residual (after the update): the early, prior-dominated errors do not inflate s².
  const residual = y - predictRls(s, phi);
  s.weight = lambda * s.weight + 1;
  s.residualVariance += (residual * residual - s.residualVariance) / s.weight;
}
