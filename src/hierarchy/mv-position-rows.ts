// The DSO's MV branch limits as linear rows over its feeders' net positions, for the whole-system dispatch.
//
// Per DSO interval k and in-service rated MV branch m, the AC power flow at the members' point forecast x̂ (fixed MV
// loads on the load shape, feeders' reactive power at the planning power factor) gives the flow P_m,k(x̂); one
// perturbed power flow per feeder at the interval of highest planned load gives s_j,m = ∂P_m/∂(R_j·x_j) (the
// linearisation of distribution-limits.ts, LinDistFlow-like on the radial MV network). The row is
//   −rate_m ≤ P_m,k(x̂) + Σ_j s_j,m·R_j·(x_j − x̂_j,k) ≤ rate_m       (rate: the active-power share of the rating)
// i.e. lowerKw ≤ Σ_j s_j,m·R_j·x_j ≤ upperKw with the constants moved to the bounds. MV voltage rows are not built.
import type { SharedPositionLimit } from '../coordination/mechanism.ts';
import { type MvGrid, PLANNING_TAN_PHI } from './mv-grid.ts';
import type { DsoModel } from './system-model.ts';

/** Feeder perturbation of the sensitivity power flows (kW over all replicas). */
const PERTURBATION_KW = 100;
/** Below this (kW per kW) a feeder does not move a branch. */
const SENSITIVITY_EPSILON = 1e-6;

/** One row per rated MV branch some feeder moves (module comment); baseKw[j][k] per replica. */
export function computeMvPositionRows(
  grid: MvGrid,
  feeders: DsoModel['feeders'],
  baseKw: readonly ArrayLike<number>[],
  n: number,
): SharedPositionLimit[] {
  if (feeders.length === 0 || n === 0) return [];
  const at = (k: number) => feeders.map((_, j) => baseKw[j][k]);
  const q = (p: readonly number[]) => p.map((v) => Math.max(0, v) * PLANNING_TAN_PHI);
  const total = (k: number) => feeders.reduce((a, f, j) => a + baseKw[j][k] * f.replicas, 0);
  let peak = 0;
  for (let k = 1; k < n; k++) if (total(k) > total(peak)) peak = k;
  const reference = grid.solve(peak, at(peak), q(at(peak)));
  const sensitivity = feeders.map((f, j) => {
    const p = at(peak);
    p[j] += PERTURBATION_KW / f.replicas;
    const s = grid.solve(peak, p, q(p));
    return Float64Array.from(s.branchPKw, (v, m) => (v - reference.branchPKw[m]) / PERTURBATION_KW);
  });
  const flows = Array.from({ length: n }, (_, k) => grid.solve(k, at(k), q(at(k))).branchPKw);
  const rows: SharedPositionLimit[] = [];
  grid.rateKw.forEach((rate, m) => {
    const coefficients = feeders.map((_, j) => sensitivity[j][m]);
    if (!Number.isFinite(rate) || coefficients.every((c) => Math.abs(c) < SENSITIVITY_EPSILON)) return;
    const offset = Float64Array.from({ length: n }, (_, k) =>
      feeders.reduce((a, f, j) => a + coefficients[j] * f.replicas * baseKw[j][k], -flows[k][m]),
    );
    rows.push({
      name: `mv-branch:${m}`,
      coefficients,
      lowerKw: Float64Array.from(offset, (o) => o - rate),
      upperKw: Float64Array.from(offset, (o) => o + rate),
    });
  });
  return rows;
}
