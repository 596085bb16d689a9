// Infeasibility and unboundedness certificates read off diverging interior point iterates.
import type { IpmState } from './interior-point.ts';
import type { ReducedQp } from './standard-form.ts';

/** Iterates are only examined for a certificate once multipliers (or primal values) exceed this. */
const DIVERGENCE = 1e6;
/** Tolerance on the normalised certificate conditions. */
const CERTIFICATE_TOLERANCE = 1e-6;

/**
 * Primal infeasibility (Farkas): with (ŷ, ẑl, ẑu) = (y, zl, zu)/M, M their largest entry,
 *   Aᵀŷ + ẑl_x − ẑu_x ≈ 0,  ŷ ≈ ẑl_w − ẑu_w on inequality rows,
 *   b̂ = Σ l·ẑl − Σ u·ẑu (columns and inequality rows) + Σ_equality rows rhs·ŷ > 0
 * proves that no x meets the bounds: for any feasible x, ŷᵀA x ≤ b̂'s opposite. The residuals (times the size
 * of the current primal iterate) must be small against b̂ for the certificate to count.
 */
export function findInfeasibilityCertificate(qp: ReducedQp, s: IpmState): boolean {
  const { n, m } = s;
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(s.y[i]));
  for (let k = 0; k < n + m; k++) scale = Math.max(scale, s.zl[k], s.zu[k]);
  if (!(scale > DIVERGENCE)) return false;
  let residual = 0;
  for (let j = 0; j < n; j++) residual = Math.max(residual, Math.abs(s.aty[j] + s.zl[j] - s.zu[j]));
  for (let i = 0; i < m; i++) {
    if (!s.isEquality[i]) residual = Math.max(residual, Math.abs(s.y[i] - s.zl[n + i] + s.zu[n + i]));
  }
  let ray = 0;
  let size = 1;
  for (let k = 0; k < n + m; k++) {
    if (s.hasLower[k]) ray += s.lower[k] * s.zl[k];
    if (s.hasUpper[k]) ray -= s.upper[k] * s.zu[k];
    size += Math.abs(s.value(k));
  }
  for (let i = 0; i < m; i++) if (s.isEquality[i]) ray += qp.rowLower[i] * s.y[i];
  residual /= scale;
  ray /= scale;
  return ray > CERTIFICATE_TOLERANCE && residual * size < 1e-3 * ray;
}

/**
 * Unboundedness: d = x/‖x‖∞ with Q d ≈ 0, cᵀd < 0, and d inside the recession cone of the column and row
 * bounds (d_j ≥ 0 where l_j is finite, (A d)_i ≤ 0 where the row's upper bound is finite, …).
 */
export function findUnboundedDirection(qp: ReducedQp, s: IpmState): boolean {
  const { n, m } = s;
  let size = 0;
  for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(s.x[j]));
  if (!(size > DIVERGENCE)) return false;
  let descent = 0;
  for (let j = 0; j < n; j++) {
    const d = s.x[j] / size;
    if (Math.abs(s.qx[j]) / size > CERTIFICATE_TOLERANCE) return false;
    if (s.hasLower[j] && d < -CERTIFICATE_TOLERANCE) return false;
    if (s.hasUpper[j] && d > CERTIFICATE_TOLERANCE) return false;
    descent += qp.cost[j] * d;
  }
  for (let i = 0; i < m; i++) {
    const ad = s.ax[i] / size;
    const k = n + i;
    const lowerFinite = s.isEquality[i] || s.hasLower[k];
    const upperFinite = s.isEquality[i] || s.hasUpper[k];
    if (lowerFinite && ad < -CERTIFICATE_TOLERANCE) return false;
    if (upperFinite && ad > CERTIFICATE_TOLERANCE) return false;
  }
  return descent < -CERTIFICATE_TOLERANCE;
}
