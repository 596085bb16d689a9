// Weighted projection onto a box intersected with half-spaces: the DSO's z-update over its feasible set F_t.
//
//   minimise Σ_i w_i/2·(z_i − v_i)²   subject to  lo_i ≤ z_i ≤ hi_i,   a_r·z ≤ b_r  (r = 1…R)
//
// Hildreth's method (Hildreth 1957, "A quadratic programming procedure", Naval Res. Logist. Q. 4; Censor & Zenios
// 1997, "Parallel Optimization", §6.3): dual coordinate ascent on the multipliers μ_r ≥ 0 of the half-spaces with
// the box kept in the primal, z(μ) = clip(v − W⁻¹Aᵀμ, lo, hi). One step maximises the (concave) dual along μ_r
// exactly: a_r·z(μ) is non-increasing and piecewise linear in μ_r, so the root of a_r·z(μ) = b_r is found between
// two of its breakpoints and solved linearly. For a strictly convex objective the iterates converge to the unique
// projection (Censor & Zenios Thm. 6.3.1 for box-constrained Hildreth). Sweeps stop when every row holds within
// `toleranceKw` and every positive μ_r belongs to a row within the tolerance of its bound (KKT). When the box and
// the rows cannot be met together, μ_r stops at the breakpoint where its row is as small as the box allows.

export interface HalfSpace {
  /** Coefficients a_r over the variables (dense). */
  readonly coefficients: ArrayLike<number>;
  readonly upper: number;
}

export interface ProjectionResult {
  readonly z: Float64Array;
  readonly multipliers: Float64Array;
  readonly sweeps: number;
  /** max_r (a_r·z − b_r)⁺ at the end (kW or the rows' unit). */
  readonly maxViolation: number;
}

const MAX_SWEEPS = 2000;

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The projection of v (module comment); `weights` > 0, lo ≤ hi. */
export function projectOntoBoxAndHalfSpaces(
  v: ArrayLike<number>,
  weights: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  rows: readonly HalfSpace[],
  toleranceKw = 1e-9,
): ProjectionResult {
  const n = v.length;
  const mu = new Float64Array(rows.length);
  // shift_i = Σ_r μ_r a_ri / w_i, so z_i = clip(v_i − shift_i, lo_i, hi_i).
  const shift = new Float64Array(n);
  const z = Float64Array.from({ length: n }, (_, i) => clip(v[i], lo[i], hi[i]));
  const rowAt = (r: number) => {
    const a = rows[r].coefficients;
    let s = 0;
    for (let i = 0; i < n; i++) if (a[i] !== 0) s += a[i] * z[i];
    return s;
  };
  const scale = rows.reduce((m, r) => Math.max(m, Math.abs(r.upper)), 1);
  let sweeps = 0;
  let violation = 0;
  for (; sweeps < MAX_SWEEPS; sweeps++) {
    for (let r = 0; r < rows.length; r++) {
      const next = rowStep(v, weights, lo, hi, rows[r], mu[r], shift);
      if (next === mu[r]) continue;
      const a = rows[r].coefficients;
      for (let i = 0; i < n; i++) {
        if (a[i] === 0) continue;
        shift[i] += ((next - mu[r]) * a[i]) / weights[i];
        z[i] = clip(v[i] - shift[i], lo[i], hi[i]);
      }
      mu[r] = next;
    }
    // KKT within tolerance: rows hold, positive multipliers only on rows at their bound; rows the box cannot meet
    // are at their smallest value and do not count.
    let worst = 0;
    violation = 0;
    for (let r = 0; r < rows.length; r++) {
      const gap = rowAt(r) - rows[r].upper;
      violation = Math.max(violation, gap);
      if (isStuck(lo, hi, rows[r], shift, v)) continue;
      worst = Math.max(worst, mu[r] > 0 ? Math.abs(gap) : gap);
    }
    if (worst <= toleranceKw * scale) break;
  }
  return { z, multipliers: mu, sweeps: sweeps + 1, maxViolation: Math.max(0, violation) };
}

/** Whether every variable of the row is at the end of its box the row pushes it to (the row cannot fall further). */
function isStuck(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  row: HalfSpace,
  shift: Float64Array,
  v: ArrayLike<number>,
): boolean {
  const a = row.coefficients;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0 && v[i] - shift[i] > lo[i]) return false;
    if (a[i] < 0 && v[i] - shift[i] < hi[i]) return false;
  }
  return true;
}

/** The exact maximiser μ ≥ 0 of the dual along row r, the other multipliers fixed (module comment). */
function rowStep(
  v: ArrayLike<number>,
  weights: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  row: HalfSpace,
  current: number,
  shift: Float64Array,
): number {
  const a = row.coefficients;
  // g(m) = Σ a_i·clip(u_i − m·c_i, lo_i, hi_i) with u_i the unclipped value at μ_r = 0 and c_i = a_i / w_i.
  const idx: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) idx.push(i);
  const u = idx.map((i) => v[i] - shift[i] + (current * a[i]) / weights[i]);
  const c = idx.map((i) => a[i] / weights[i]);
  const g = (m: number) => idx.reduce((s, i, k) => s + a[i] * clip(u[k] - m * c[k], lo[i], hi[i]), 0);
  if (g(0) <= row.upper) return 0;
  const breaks = [0];
  idx.forEach((i, k) => {
    for (const end of [lo[i], hi[i]]) {
      const m = (u[k] - end) / c[k];
      if (m > 0 && Number.isFinite(m)) breaks.push(m);
    }
  });
  breaks.sort((x, y) => x - y);
  let prev = 0;
  let gPrev = g(0);
  for (let k = 1; k < breaks.length; k++) {
    const m = breaks[k];
    const gm = g(m);
    if (gm <= row.upper) return prev + ((gPrev - row.upper) * (m - prev)) / (gPrev - gm);
    prev = m;
    gPrev = gm;
  }
  // The row cannot be met inside the box: stop where it is smallest.
  return prev;
}
