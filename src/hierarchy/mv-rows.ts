// The DSO's MV limits as linear rows on its feeders' positions, for coordinations that negotiate quantities.
//
// Per DSO interval k, at the day-ahead plan x̂ (the feeders' envelope bases, kW per replica) the MV power flow
// (mv-grid.ts, Newton–Raphson) gives branch flows p_m and voltages |V|_b; perturbing feeder f by Δ = 100 kW (all
// replicas, reactive power along tan φ as the planning flows) gives sensitivities S_mf = ∂p_m/∂P_f and
// V_bf = ∂|V|_b/∂P_f. Linearised limits with x_f per replica (R_f replicas):
//   ±(p_m + Σ_f S_mf·R_f·(x_f − x̂_f)) ≤ share·rate_m        (branch m, both directions; rate_m the active limit)
//   vMin_b + margin ≤ |V|_b + Σ_f V_bf·R_f·(x_f − x̂_f) ≤ vMax_b − margin
// Each row is scaled so its largest |coefficient| is 1 (kW of the most sensitive feeder per replica). Rows with no
// sensitivity (the slack bus) are left out; the negotiation drops rows its feeders' ranges cannot break.
import type { NetworkRow } from '../coordination/mechanism.ts';
import type { MvGrid } from './mv-grid.ts';
import { PLANNING_TAN_PHI } from './mv-grid.ts';
import type { DsoModel } from './system-model.ts';

const PERTURBATION_KW = 100;
/** Share of a branch's active-power limit and voltage margin (p.u.) the rows plan to: day-ahead → real time. */
export const MV_ROW_RATING_SHARE = 0.97;
export const MV_ROW_VOLTAGE_MARGIN_PU = 0.005;
const MIN_COEFFICIENT = 1e-9;

export function computeMvRows(
  grid: MvGrid,
  feeders: DsoModel['feeders'],
  baseKw: readonly ArrayLike<number>[],
  n: number,
): NetworkRow[] {
  const rows: NetworkRow[] = [];
  const { vmMinPu, vmMaxPu } = grid.busVmLimits;
  const push = (label: string, k: number, a: Float64Array, upper: number) => {
    const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (scale > MIN_COEFFICIENT)
      rows.push({ label, interval: k, coefficients: a.map((v) => v / scale), upper: upper / scale });
  };
  for (let k = 0; k < n; k++) {
    const p = feeders.map((_, f) => baseKw[f][k]);
    const q = p.map((v) => Math.max(0, v) * PLANNING_TAN_PHI);
    const at = grid.solve(k, p, q);
    const moved = feeders.map((feeder, f) => {
      const dp = p.slice();
      const dq = q.slice();
      dp[f] += PERTURBATION_KW / feeder.replicas;
      dq[f] += (PERTURBATION_KW * PLANNING_TAN_PHI) / feeder.replicas;
      return grid.solve(k, dp, dq);
    });
    // Per-replica coefficients a_f = sensitivity × R_f and the plan's Σ a_f·x̂_f.
    const perReplica = (d: (s: (typeof moved)[number]) => number) =>
      Float64Array.from(feeders, (feeder, f) => (d(moved[f]) / PERTURBATION_KW) * feeder.replicas);
    const dot = (a: Float64Array) => a.reduce((s, v, f) => s + v * p[f], 0);
    grid.rateKw.forEach((rate, m) => {
      if (!Number.isFinite(rate)) return;
      const a = perReplica((s) => s.branchPKw[m] - at.branchPKw[m]);
      const limit = MV_ROW_RATING_SHARE * rate;
      push(`mv:branch ${m}:forward:${k}`, k, a, limit - at.branchPKw[m] + dot(a));
      push(
        `mv:branch ${m}:reverse:${k}`,
        k,
        a.map((v) => -v),
        limit + at.branchPKw[m] - dot(a),
      );
    });
    at.vmPu.forEach((vm, b) => {
      const a = perReplica((s) => s.vmPu[b] - vm);
      // |V| falls with consumption: the lower limit is an upper row on −a·x.
      push(
        `mv:bus ${b}:vmin:${k}`,
        k,
        a.map((v) => -v),
        vm - vmMinPu[b] - MV_ROW_VOLTAGE_MARGIN_PU - dot(a),
      );
      push(`mv:bus ${b}:vmax:${k}`, k, a, vmMaxPu[b] - MV_ROW_VOLTAGE_MARGIN_PU - vm + dot(a));
    });
  }
  return rows;
}
