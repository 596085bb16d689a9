// Backward/forward sweep power flow for radial networks (current summation; Shirmohammadi et al. 1988, IEEE
// Trans. Power Systems 3(2)), with the MATPOWER π model: line charging and bus shunts as shunt admittances,
// off-nominal taps and phase shifters as ideal transformers at the from side.
//
// Backward sweep: branch currents are summed from the leaves to the slack using the current voltages.
// Forward sweep: voltages are updated from the slack down with V_child = V_parent − z·I. Stops when the power
// mismatch ‖V·conj(Ybus·V) − Sspec‖∞ < tolerance, the same criterion as Newton–Raphson. PV buses are treated
// as PQ buses at their scheduled reactive output (a sweep does not regulate voltage).
import { type AdmittanceMatrix, multiplyAdmittance } from '../../formulations/ac-polar.ts';
import { BUS_SLACK, type IndexedNetwork } from '../../grid/indexed-network.ts';
import type { RadialTree } from '../../grid/radial-tree.ts';
import type { SolverOutcome, SolverSettings } from './solver.ts';

/** Reusable sweep solver for one radial network and admittance matrix. */
export class BackwardForwardSweepSolver {
  private readonly shuntRe: Float64Array;
  private readonly shuntIm: Float64Array;
  private readonly current: { re: Float64Array; im: Float64Array };
  private readonly v: { re: Float64Array; im: Float64Array };
  private readonly yv: { re: Float64Array; im: Float64Array };

  constructor(
    private readonly net: IndexedNetwork,
    private readonly y: AdmittanceMatrix,
    private readonly tree: RadialTree,
  ) {
    const n = net.busCount;
    this.shuntRe = new Float64Array(n);
    this.shuntIm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.shuntRe[i] = net.gShuntMw[i] / net.baseMva;
      this.shuntIm[i] = net.bShuntMvar[i] / net.baseMva;
    }
    for (let k = 0; k < net.branchCount; k++) {
      const halfB = net.branchBPu[k] / 2;
      const tau = net.branchTap[k];
      this.shuntIm[net.branchFrom[k]] += halfB / (tau * tau);
      this.shuntIm[net.branchTo[k]] += halfB;
    }
    this.current = { re: new Float64Array(n), im: new Float64Array(n) };
    this.v = { re: new Float64Array(n), im: new Float64Array(n) };
    this.yv = { re: new Float64Array(n), im: new Float64Array(n) };
  }

  /** Solve in place from the start voltages in vmPu/vaRad; pSpecPu/qSpecPu are net injections (p.u.). */
  solve(
    pSpecPu: Float64Array,
    qSpecPu: Float64Array,
    vmPu: Float64Array,
    vaRad: Float64Array,
    options: SolverSettings,
  ): SolverOutcome {
    const { net, tree, v, current } = this;
    const n = net.busCount;
    for (let i = 0; i < n; i++) {
      v.re[i] = vmPu[i] * Math.cos(vaRad[i]);
      v.im[i] = vmPu[i] * Math.sin(vaRad[i]);
    }
    let iterations = 0;
    let norm = this.mismatchNorm(pSpecPu, qSpecPu);
    while (norm >= options.tolerancePu && iterations < options.maxIterations && Number.isFinite(norm)) {
      iterations++;
      // Current drawn by each bus: conj(−Sspec / V) + Ysh·V.
      for (let i = 0; i < n; i++) {
        const vr = v.re[i];
        const vi = v.im[i];
        const m2 = vr * vr + vi * vi;
        // conj(S/V) with S = −(p + jq): (−p·vr − q·vi)/|V|², (−p·vi + q·vr)/|V|²
        const p = pSpecPu[i];
        const q = qSpecPu[i];
        current.re[i] = (-p * vr - q * vi) / m2 + this.shuntRe[i] * vr - this.shuntIm[i] * vi;
        current.im[i] = (-p * vi + q * vr) / m2 + this.shuntRe[i] * vi + this.shuntIm[i] * vr;
      }
      // Backward sweep: add each bus's downstream current to its parent's.
      for (let t = n - 1; t > 0; t--) {
        const c = tree.order[t];
        const k = tree.parentBranch[c];
        const p = tree.parentBus[c];
        const cs = Math.cos(net.branchShiftRad[k]);
        const sn = Math.sin(net.branchShiftRad[k]);
        const tau = net.branchTap[k];
        let ir = current.re[c];
        let ii = current.im[c];
        if (tree.parentIsFrom[c]) {
          // drawn from parent: I / conj(N) = I·N/τ² = I·(cos + j sin)/τ
          const r = (ir * cs - ii * sn) / tau;
          ii = (ir * sn + ii * cs) / tau;
          ir = r;
        } else {
          // series current i_s = conj(N)·I = τ·(cos − j sin)·I
          const r = tau * (ir * cs + ii * sn);
          ii = tau * (ii * cs - ir * sn);
          ir = r;
        }
        current.re[p] += ir;
        current.im[p] += ii;
      }
      // Forward sweep.
      for (let t = 1; t < n; t++) {
        const c = tree.order[t];
        const k = tree.parentBranch[c];
        const p = tree.parentBus[c];
        const r = net.branchRPu[k];
        const x = net.branchXPu[k];
        const cs = Math.cos(net.branchShiftRad[k]);
        const sn = Math.sin(net.branchShiftRad[k]);
        const tau = net.branchTap[k];
        const ir = current.re[c];
        const ii = current.im[c];
        if (tree.parentIsFrom[c]) {
          // V_c = V_p/N − z·I_c, 1/N = (cos − j sin)/τ
          const ur = (v.re[p] * cs + v.im[p] * sn) / tau;
          const ui = (v.im[p] * cs - v.re[p] * sn) / tau;
          v.re[c] = ur - (r * ir - x * ii);
          v.im[c] = ui - (r * ii + x * ir);
        } else {
          // i_s = conj(N)·I_c; V_int = V_p − z·i_s; V_c = N·V_int
          const sr = tau * (ir * cs + ii * sn);
          const si = tau * (ii * cs - ir * sn);
          const wr = v.re[p] - (r * sr - x * si);
          const wi = v.im[p] - (r * si + x * sr);
          v.re[c] = tau * (wr * cs - wi * sn);
          v.im[c] = tau * (wr * sn + wi * cs);
        }
      }
      norm = this.mismatchNorm(pSpecPu, qSpecPu);
    }
    for (let i = 0; i < n; i++) {
      vmPu[i] = Math.hypot(v.re[i], v.im[i]);
      vaRad[i] = Math.atan2(v.im[i], v.re[i]);
    }
    const converged = norm < options.tolerancePu;
    return {
      converged,
      iterations,
      maxMismatchPu: norm,
      message: converged
        ? undefined
        : Number.isFinite(norm)
          ? `no convergence within ${options.maxIterations} sweeps`
          : 'diverged (non-finite mismatch)',
    };
  }

  /** ‖V·conj(Y·V) − Sspec‖∞ over non-slack buses. */
  private mismatchNorm(pSpecPu: Float64Array, qSpecPu: Float64Array): number {
    const { v, yv, net } = this;
    multiplyAdmittance(this.y, v.re, v.im, yv.re, yv.im);
    let norm = 0;
    for (let i = 0; i < net.busCount; i++) {
      if (net.busType[i] === BUS_SLACK) continue;
      const p = v.re[i] * yv.re[i] + v.im[i] * yv.im[i] - pSpecPu[i];
      const q = v.im[i] * yv.re[i] - v.re[i] * yv.im[i] - qSpecPu[i];
      const a = Math.max(Math.abs(p), Math.abs(q));
      if (!(a <= norm)) norm = a;
    }
    return norm;
  }
}
