// Primal–dual interior point method (Mehrotra predictor–corrector) for sparse convex QPs.

import type { OptimisationProblem } from '../optimisation/problem.ts';
import { multiplyCsc } from '../sparse/index.ts';
import { findInfeasibilityCertificate, findUnboundedDirection } from './certificates.ts';
import { createNewtonSystem, type NewtonSystem } from './newton-system.ts';
import { isFiniteBound, postsolveQp, presolveQp, type ReducedQp } from './standard-form.ts';

export type QpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'not_converged' | 'error';

export interface QpOptions {
  /** Relative primal, dual and complementarity tolerance (README, "Stopping rules"); default 1e-9. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Wall-clock limit in seconds; the solve stops with `not_converged`. */
  readonly timeLimitS?: number;
  /**
   * Newton system: `direct` (sparse LDLᵀ of the KKT matrix), `network` (normal equations by tree-preconditioned
   * conjugate gradients; needs diagonal Q and ≤ 2 entries per column of A) or `auto` (default: network when the
   * structure allows it and the problem has ≥ 2,000 unknowns or a direct factorisation above ~2·10⁹ flops).
   */
  readonly newtonSystem?: 'auto' | 'direct' | 'network';
}

export interface QpResult {
  readonly status: QpStatus;
  readonly message: string;
  readonly iterations: number;
  readonly objective: number;
  readonly x: Float64Array;
  readonly rowActivity: Float64Array;
  /** ∂objective/∂(active bound of row i), as the solver port's HiGHS duals. */
  readonly rowDual: Float64Array;
  /** Reduced costs c + Qx − Aᵀ·rowDual: the bound multipliers (positive at a lower bound of a minimisation). */
  readonly colDual: Float64Array;
  /** Final scaled residuals (primal, dual, complementarity). */
  readonly residuals: { readonly primal: number; readonly dual: number; readonly gap: number };
}

const STEP_FRACTION = 0.995;
const RHO = 1e-8;
/** Scaled multiplier and relative slack below/above which a row counts as inactive in the reported duals. */
const INACTIVE_DUAL = 1e-9;
const INACTIVE_SLACK = 1e-6;
const DELTA = 1e-8;

/** Solve min ½xᵀQx + cᵀx (or max) s.t. row and column bounds. Q must be positive semidefinite. */
export function solveQp(problem: OptimisationProblem, options: QpOptions = {}): QpResult {
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 200;
  const deadline =
    options.timeLimitS === undefined ? Infinity : performance.now() + 1000 * options.timeLimitS;
  const failed = (status: QpStatus, message: string, iterations = 0): QpResult => ({
    status,
    message,
    iterations,
    objective: Number.NaN,
    x: new Float64Array(problem.numCols),
    rowActivity: new Float64Array(problem.numRows),
    rowDual: new Float64Array(problem.numRows),
    colDual: new Float64Array(problem.numCols),
    residuals: { primal: Number.NaN, dual: Number.NaN, gap: Number.NaN },
  });
  const pre = presolveQp(problem);
  if (pre.kind === 'infeasible') return failed('infeasible', pre.reason);
  const { qp, fixedValue } = pre;
  const state = new IpmState(qp);
  const kkt = createNewtonSystem(qp, options.newtonSystem);
  let iteration = 0;
  for (; ; iteration++) {
    const r = state.computeResiduals();
    if (!Number.isFinite(r.primal + r.dual + r.gap)) return failed('error', 'non-finite iterate', iteration);
    if (r.primal <= tolerance && r.dual <= tolerance && r.gap <= tolerance) {
      state.zeroInactiveRowDuals();
      const post = postsolveQp(problem, qp, fixedValue, state.x, state.y);
      return { status: 'optimal', message: 'Optimal', iterations: iteration, ...post, residuals: r };
    }
    if (iteration > 3) {
      if (findInfeasibilityCertificate(qp, state))
        return failed('infeasible', 'primal infeasible (Farkas certificate)', iteration);
      if (findUnboundedDirection(qp, state))
        return failed('unbounded', 'unbounded (recession direction of descent)', iteration);
    }
    if (iteration >= maxIterations) return failed('not_converged', 'Iteration limit reached', iteration);
    if (performance.now() > deadline) return failed('not_converged', 'Time limit reached', iteration);
    state.step(kkt);
  }
}

/** Iterate of the method on the reduced problem: v = (x, w) with w = A x at convergence, y, bound multipliers. */
export class IpmState {
  readonly n: number;
  readonly m: number;
  readonly x: Float64Array;
  /** Row activities as variables (inequality rows); equality rows keep w = rowLower. */
  readonly w: Float64Array;
  readonly y: Float64Array;
  /** Bound multipliers on v = (x, w); zero where the bound is infinite. */
  readonly zl: Float64Array;
  readonly zu: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly hasLower: Uint8Array;
  readonly hasUpper: Uint8Array;
  readonly isEquality: Uint8Array;
  readonly boundCount: number;
  // Residuals and products.
  readonly ax: Float64Array;
  readonly aty: Float64Array;
  readonly qx: Float64Array;
  readonly rx: Float64Array;
  readonly rw: Float64Array;
  readonly rp: Float64Array;
  private mu = 0;
  // Newton system work arrays.
  private readonly dv: Float64Array;
  private readonly dy: Float64Array;
  private readonly dzl: Float64Array;
  private readonly dzu: Float64Array;
  private readonly dvAff: Float64Array;
  private readonly dzlAff: Float64Array;
  private readonly dzuAff: Float64Array;
  private readonly diagX: Float64Array;
  private readonly diagW: Float64Array;
  private readonly eRows: Float64Array;
  private readonly fwRows: Float64Array;
  private readonly rhs: Float64Array;
  private readonly sol: Float64Array;

  constructor(private readonly qp: ReducedQp) {
    const { n, m } = qp;
    this.n = n;
    this.m = m;
    const size = n + m;
    this.x = new Float64Array(n);
    this.w = new Float64Array(m);
    this.y = new Float64Array(m);
    this.zl = new Float64Array(size);
    this.zu = new Float64Array(size);
    this.lower = new Float64Array(size);
    this.upper = new Float64Array(size);
    this.hasLower = new Uint8Array(size);
    this.hasUpper = new Uint8Array(size);
    this.isEquality = new Uint8Array(m);
    this.ax = new Float64Array(m);
    this.aty = new Float64Array(n);
    this.qx = new Float64Array(n);
    this.rx = new Float64Array(n);
    this.rw = new Float64Array(m);
    this.rp = new Float64Array(m);
    this.dv = new Float64Array(size);
    this.dzl = new Float64Array(size);
    this.dzu = new Float64Array(size);
    this.dvAff = new Float64Array(size);
    this.dzlAff = new Float64Array(size);
    this.dzuAff = new Float64Array(size);
    this.rhs = new Float64Array(size);
    this.sol = new Float64Array(size);
    this.dy = new Float64Array(m);
    this.diagX = new Float64Array(n);
    this.diagW = new Float64Array(m);
    this.eRows = new Float64Array(m);
    this.fwRows = new Float64Array(m);
    let bounds = 0;
    for (let k = 0; k < size; k++) {
      const lo = k < n ? qp.colLower[k] : qp.rowLower[k - n];
      const hi = k < n ? qp.colUpper[k] : qp.rowUpper[k - n];
      this.lower[k] = lo;
      this.upper[k] = hi;
      if (k >= n && lo === hi) {
        this.isEquality[k - n] = 1;
        continue;
      }
      this.hasLower[k] = isFiniteBound(lo) ? 1 : 0;
      this.hasUpper[k] = isFiniteBound(hi) ? 1 : 0;
      bounds += this.hasLower[k] + this.hasUpper[k];
    }
    this.boundCount = bounds;
    for (let j = 0; j < n; j++) this.x[j] = this.interiorStart(j, 0);
    multiplyCsc(qp.a, this.x, this.ax);
    for (let i = 0; i < m; i++)
      this.w[i] = this.isEquality[i] ? qp.rowLower[i] : this.interiorStart(n + i, this.ax[i]);
    // Multipliers start balanced, slack·multiplier = 1 on every bound (capped at 1 for far bounds' slacks < 1).
    for (let k = 0; k < size; k++) {
      const v = this.value(k);
      if (this.hasLower[k]) this.zl[k] = Math.min(1, 1 / (v - this.lower[k]));
      if (this.hasUpper[k]) this.zu[k] = Math.min(1, 1 / (this.upper[k] - v));
    }
  }

  /** A starting value strictly inside the bounds of v_k, near `preferred`. */
  private interiorStart(k: number, preferred: number): number {
    const lo = this.hasLower[k] ? this.lower[k] : Number.NEGATIVE_INFINITY;
    const hi = this.hasUpper[k] ? this.upper[k] : Number.POSITIVE_INFINITY;
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      const margin = Math.min(0.25 * (hi - lo), 1);
      return Math.min(Math.max(preferred, lo + margin), hi - margin);
    }
    if (Number.isFinite(lo)) return Math.max(preferred, lo + 1);
    if (Number.isFinite(hi)) return Math.min(preferred, hi - 1);
    return preferred;
  }

  value(k: number): number {
    return k < this.n ? this.x[k] : this.w[k - this.n];
  }

  /** Residuals of the KKT conditions, scaled as in the README's stopping rules. */
  computeResiduals(): { primal: number; dual: number; gap: number } {
    const { qp, n, m } = this;
    multiplyCsc(qp.a, this.x, this.ax);
    multiplyCsc(qp.q, this.x, this.qx);
    this.aty.fill(0);
    const { colStarts, rowIndices, values } = qp.a;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = colStarts[j]; p < colStarts[j + 1]; p++) s += values[p] * this.y[rowIndices[p]];
      this.aty[j] = s;
    }
    let primal = 0;
    let activity = 0;
    for (let i = 0; i < m; i++) {
      this.rp[i] = this.ax[i] - this.w[i];
      primal = Math.max(primal, Math.abs(this.rp[i]));
      activity = Math.max(activity, Math.abs(this.ax[i]), Math.abs(this.w[i]));
      this.rw[i] = this.isEquality[i] ? 0 : this.y[i] - this.zl[n + i] + this.zu[n + i];
    }
    let dual = 0;
    let dualScale = 0;
    let objective = 0;
    for (let j = 0; j < n; j++) {
      this.rx[j] = this.qx[j] + qp.cost[j] - this.aty[j] - this.zl[j] + this.zu[j];
      dual = Math.max(dual, Math.abs(this.rx[j]));
      dualScale = Math.max(dualScale, Math.abs(this.qx[j]), Math.abs(qp.cost[j]), Math.abs(this.aty[j]));
      objective += this.x[j] * (0.5 * this.qx[j] + qp.cost[j]);
    }
    for (let i = 0; i < m; i++) dual = Math.max(dual, Math.abs(this.rw[i]));
    let complementarity = 0;
    for (let k = 0; k < n + m; k++) {
      const v = this.value(k);
      if (this.hasLower[k]) complementarity += (v - this.lower[k]) * this.zl[k];
      if (this.hasUpper[k]) complementarity += (this.upper[k] - v) * this.zu[k];
    }
    this.mu = this.boundCount > 0 ? complementarity / this.boundCount : 0;
    return {
      primal: primal / (1 + activity),
      dual: dual / (1 + dualScale),
      gap: complementarity / (1 + Math.abs(objective)),
    };
  }

  /**
   * At the optimum an inequality row away from both bounds carries only the central-path multiplier μ/slack;
   * set it to exactly 0 (as an active-set solver would report) when it is below INACTIVE_DUAL.
   */
  zeroInactiveRowDuals(): void {
    for (let i = 0; i < this.m; i++) {
      const k = this.n + i;
      if (this.isEquality[i] || Math.abs(this.y[i]) > INACTIVE_DUAL) continue;
      const w = this.w[i];
      const slack = Math.min(
        this.hasLower[k] ? w - this.lower[k] : Number.POSITIVE_INFINITY,
        this.hasUpper[k] ? this.upper[k] - w : Number.POSITIVE_INFINITY,
      );
      if (slack > INACTIVE_SLACK * (1 + Math.abs(w))) this.y[i] = 0;
    }
  }

  /** One Mehrotra predictor–corrector step; `computeResiduals` must have been called on this iterate. */
  step(kkt: NewtonSystem): void {
    const { n, m } = this;
    for (let j = 0; j < n; j++) this.diagX[j] = this.barrierDiagonal(j);
    for (let i = 0; i < m; i++) {
      if (this.isEquality[i]) {
        this.eRows[i] = 0;
        continue;
      }
      this.diagW[i] = this.barrierDiagonal(n + i);
      this.eRows[i] = 1 / this.diagW[i];
    }
    kkt.factor(this.diagX, this.eRows, RHO, DELTA);
    // Predictor (affine scaling): complementarity target 0.
    this.direction(kkt, 0, false);
    this.dvAff.set(this.dv);
    this.dzlAff.set(this.dzl);
    this.dzuAff.set(this.dzu);
    const alphaAff = this.maxStep(1);
    let muAff = 0;
    for (let k = 0; k < n + m; k++) {
      const v = this.value(k) + alphaAff * this.dv[k];
      if (this.hasLower[k]) muAff += (v - this.lower[k]) * (this.zl[k] + alphaAff * this.dzl[k]);
      if (this.hasUpper[k]) muAff += (this.upper[k] - v) * (this.zu[k] + alphaAff * this.dzu[k]);
    }
    muAff = this.boundCount > 0 ? muAff / this.boundCount : 0;
    const sigma = this.mu > 0 ? Math.min(1, (muAff / this.mu) ** 3) : 0;
    // Corrector: centring σμ and the second-order term −Δs_aff·Δz_aff.
    this.direction(kkt, sigma * this.mu, true);
    const alpha = this.maxStep(STEP_FRACTION);
    for (let j = 0; j < n; j++) this.x[j] += alpha * this.dv[j];
    for (let i = 0; i < m; i++) {
      if (!this.isEquality[i]) this.w[i] += alpha * this.dv[n + i];
      this.y[i] += alpha * this.dy[i];
    }
    for (let k = 0; k < n + m; k++) {
      if (this.hasLower[k]) this.zl[k] = Math.max(this.zl[k] + alpha * this.dzl[k], 1e-300);
      if (this.hasUpper[k]) this.zu[k] = Math.max(this.zu[k] + alpha * this.dzu[k], 1e-300);
    }
  }

  private barrierDiagonal(k: number): number {
    const v = this.value(k);
    let d = 0;
    if (this.hasLower[k]) d += this.zl[k] / (v - this.lower[k]);
    if (this.hasUpper[k]) d += this.zu[k] / (this.upper[k] - v);
    return d;
  }

  /** Newton direction for complementarity target `target` (with the Mehrotra correction when `corrected`). */
  private direction(kkt: NewtonSystem, target: number, corrected: boolean): void {
    const { n, m, rhs, sol } = this;
    const bar = (k: number) => {
      // g_k = zl − zu − tl/sl + tu/su  (tl, tu: complementarity targets, corrected by −Δs_aff·Δz_aff)
      const v = this.value(k);
      let g = 0;
      if (this.hasLower[k]) {
        const tl = target - (corrected ? this.dvAff[k] * this.dzlAff[k] : 0);
        g += this.zl[k] - tl / (v - this.lower[k]);
      }
      if (this.hasUpper[k]) {
        const tu = target + (corrected ? this.dvAff[k] * this.dzuAff[k] : 0);
        g += -this.zu[k] + tu / (this.upper[k] - v);
      }
      return g;
    };
    for (let j = 0; j < n; j++) rhs[j] = -this.rx[j] - bar(j);
    // Row i: dw = (fw − dy)/Dw eliminated, so A dx + dy/Dw = −rp + fw/Dw (E = 1/Dw); equality rows: A dx = −rp.
    const fw = this.fwRows;
    for (let i = 0; i < m; i++) {
      if (this.isEquality[i]) rhs[n + i] = -this.rp[i];
      else {
        fw[i] = -this.rw[i] - bar(n + i);
        rhs[n + i] = -this.rp[i] + fw[i] * this.eRows[i];
      }
    }
    kkt.solve(rhs, sol);
    for (let j = 0; j < n; j++) this.dv[j] = sol[j];
    for (let i = 0; i < m; i++) {
      this.dy[i] = -sol[n + i];
      this.dv[n + i] = this.isEquality[i] ? 0 : (fw[i] - this.dy[i]) / this.diagW[i];
    }
    for (let k = 0; k < n + m; k++) {
      const v = this.value(k);
      const d = this.dv[k];
      if (this.hasLower[k]) {
        const sl = v - this.lower[k];
        const tl = target - (corrected ? this.dvAff[k] * this.dzlAff[k] : 0);
        this.dzl[k] = tl / sl - this.zl[k] - (this.zl[k] / sl) * d;
      }
      if (this.hasUpper[k]) {
        const su = this.upper[k] - v;
        const tu = target + (corrected ? this.dvAff[k] * this.dzuAff[k] : 0);
        this.dzu[k] = tu / su - this.zu[k] + (this.zu[k] / su) * d;
      }
    }
  }

  /** Largest step ≤ 1 keeping slacks and multipliers positive, times `fraction`. */
  private maxStep(fraction: number): number {
    let alpha = 1;
    for (let k = 0; k < this.n + this.m; k++) {
      const v = this.value(k);
      const d = this.dv[k];
      if (this.hasLower[k]) {
        if (d < 0) alpha = Math.min(alpha, (fraction * (v - this.lower[k])) / -d);
        if (this.dzl[k] < 0) alpha = Math.min(alpha, (fraction * this.zl[k]) / -this.dzl[k]);
      }
      if (this.hasUpper[k]) {
        if (d > 0) alpha = Math.min(alpha, (fraction * (this.upper[k] - v)) / d);
        if (this.dzu[k] < 0) alpha = Math.min(alpha, (fraction * this.zu[k]) / -this.dzu[k]);
      }
    }
    return alpha;
  }
}
