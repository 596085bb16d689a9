// Newton–Raphson AC power flow in polar coordinates with a sparse Jacobian and sparse LU (MATPOWER newtonpf).
//
// Unknowns x = [θ(pv ∪ pq); |V|(pq)], mismatches F = [P(pv ∪ pq); Q(pq)] with S = V·conj(Ybus·V) − Sspec.
// The Jacobian follows the complex derivatives of Zimmerman, "AC power flows, generalized OPF costs and their
// derivatives using complex matrix notation" (MATPOWER TN2, 2010), eqs. (11)–(12):
//   ∂S/∂θ = j·diag(V)·conj(diag(I) − Ybus·diag(V)),  ∂S/∂|V| = diag(V)·conj(Ybus·diag(V/|V|)) + conj(diag(I))·diag(V/|V|).
// Structures (Jacobian pattern, assembly slots, LU ordering) are built once per set of bus types and reused.
import { type AdmittanceMatrix, multiplyAdmittance } from '../../formulations/ac-polar.ts';
import { BUS_PQ, BUS_PV } from '../../grid/indexed-network.ts';
import {
  analyseSparseLu,
  type CscMatrix,
  createAssemblyPlan,
  factorSparseLu,
  refactorSparseLu,
  SingularMatrixError,
  type SparseLuFactors,
  type SparseLuSymbolic,
  solveSparseLu,
} from '../../numeric/sparse/index.ts';
import type { SolverOutcome, SolverSettings } from './solver.ts';

/** Stopping rule of the iteration (kept under its historical name; the same for every solver). */
export type NewtonRaphsonOptions = SolverSettings;
/** How a solve ended (kept under its historical name; the same for every solver). */
export type NewtonRaphsonOutcome = SolverOutcome;

/** Jacobian structure for one classification of buses into pv, pq and slack. */
interface JacobianStructure {
  readonly pvpq: Int32Array;
  readonly pq: Int32Array;
  /** For each Ybus entry p: slots of ∂P/∂θ, ∂P/∂|V|, ∂Q/∂θ, ∂Q/∂|V| in the Jacobian values, or −1. */
  readonly slotPTheta: Int32Array;
  readonly slotPVm: Int32Array;
  readonly slotQTheta: Int32Array;
  readonly slotQVm: Int32Array;
  /** Mismatch row of each bus for P and Q, or −1. */
  readonly rowP: Int32Array;
  readonly rowQ: Int32Array;
  readonly jacobian: CscMatrix;
  readonly symbolic: SparseLuSymbolic;
  factors?: SparseLuFactors;
}

/**
 * A reusable Newton–Raphson solver for one admittance matrix. `solve` may be called many times (different
 * injections, different bus types); work arrays and the factorisation pattern are kept between calls.
 */
export class NewtonRaphsonSolver {
  private readonly n: number;
  private readonly y: AdmittanceMatrix;
  private readonly rowOfEntry: Int32Array;
  private structure?: JacobianStructure;
  private structureKey = '';
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;
  private readonly iRe: Float64Array;
  private readonly iIm: Float64Array;
  private readonly pCalc: Float64Array;
  private readonly qCalc: Float64Array;

  constructor(y: AdmittanceMatrix) {
    this.y = y;
    this.n = y.pattern.numCols;
    this.rowOfEntry = y.pattern.rowIndices;
    this.vRe = new Float64Array(this.n);
    this.vIm = new Float64Array(this.n);
    this.iRe = new Float64Array(this.n);
    this.iIm = new Float64Array(this.n);
    this.pCalc = new Float64Array(this.n);
    this.qCalc = new Float64Array(this.n);
  }

  /**
   * Solve for vm/va in place (they hold the start on entry). busType gives pq/pv/slack; pSpecPu/qSpecPu are the
   * specified net injections (generation − load, p.u.). On return pCalcPu/qCalcPu hold the computed injections.
   */
  solve(
    busType: Int8Array,
    pSpecPu: Float64Array,
    qSpecPu: Float64Array,
    vmPu: Float64Array,
    vaRad: Float64Array,
    options: NewtonRaphsonOptions,
  ): NewtonRaphsonOutcome {
    const s = this.prepareStructure(busType);
    const { pvpq, pq } = s;
    const size = pvpq.length + pq.length;
    const mismatch = new Float64Array(size);
    const step = new Float64Array(size);
    let normF = this.evaluateMismatch(s, pSpecPu, qSpecPu, vmPu, vaRad, mismatch);
    let iterations = 0;
    while (normF >= options.tolerancePu && iterations < options.maxIterations) {
      iterations++;
      this.fillJacobian(s, vmPu);
      try {
        s.factors = s.factors
          ? refactorSparseLu(s.factors, s.jacobian)
          : factorSparseLu(s.jacobian, s.symbolic);
      } catch (error) {
        if (error instanceof SingularMatrixError) {
          s.factors = undefined;
          return { converged: false, iterations, maxMismatchPu: normF, message: 'singular Jacobian' };
        }
        throw error;
      }
      solveSparseLu(s.factors, mismatch, step);
      for (let r = 0; r < pvpq.length; r++) vaRad[pvpq[r]] -= step[r];
      for (let r = 0; r < pq.length; r++) vmPu[pq[r]] -= step[pvpq.length + r];
      normF = this.evaluateMismatch(s, pSpecPu, qSpecPu, vmPu, vaRad, mismatch);
      if (!Number.isFinite(normF)) {
        return {
          converged: false,
          iterations,
          maxMismatchPu: normF,
          message: 'diverged (non-finite mismatch)',
        };
      }
    }
    const converged = normF < options.tolerancePu;
    return {
      converged,
      iterations,
      maxMismatchPu: normF,
      message: converged ? undefined : `no convergence within ${options.maxIterations} iterations`,
    };
  }

  /** Computed injections of the last evaluated state (p.u.). */
  computedInjections(): { pPu: Float64Array; qPu: Float64Array; vRe: Float64Array; vIm: Float64Array } {
    return { pPu: this.pCalc, qPu: this.qCalc, vRe: this.vRe, vIm: this.vIm };
  }

  /** S = V·conj(Y·V); returns ‖F‖∞ and writes F. */
  private evaluateMismatch(
    s: JacobianStructure,
    pSpecPu: Float64Array,
    qSpecPu: Float64Array,
    vmPu: Float64Array,
    vaRad: Float64Array,
    mismatch: Float64Array,
  ): number {
    const { vRe, vIm, iRe, iIm, pCalc, qCalc, n } = this;
    for (let i = 0; i < n; i++) {
      vRe[i] = vmPu[i] * Math.cos(vaRad[i]);
      vIm[i] = vmPu[i] * Math.sin(vaRad[i]);
    }
    multiplyAdmittance(this.y, vRe, vIm, iRe, iIm);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      pCalc[i] = vRe[i] * iRe[i] + vIm[i] * iIm[i];
      qCalc[i] = vIm[i] * iRe[i] - vRe[i] * iIm[i];
      const rp = s.rowP[i];
      if (rp >= 0) {
        const f = pCalc[i] - pSpecPu[i];
        mismatch[rp] = f;
        const a = Math.abs(f);
        if (a > norm || Number.isNaN(f)) norm = Number.isNaN(f) ? Number.NaN : a;
      }
      const rq = s.rowQ[i];
      if (rq >= 0) {
        const f = qCalc[i] - qSpecPu[i];
        mismatch[rq] = f;
        const a = Math.abs(f);
        if (a > norm || Number.isNaN(f)) norm = Number.isNaN(f) ? Number.NaN : a;
      }
      if (Number.isNaN(norm)) return Number.NaN;
    }
    return norm;
  }

  /** Write the Jacobian values for the voltages of the last mismatch evaluation. */
  private fillJacobian(s: JacobianStructure, vmPu: Float64Array): void {
    const values = s.jacobian.values;
    values.fill(0);
    const { colStarts } = this.y.pattern;
    const rows = this.rowOfEntry;
    const { gPu, bPu } = this.y;
    const { vRe, vIm, pCalc, qCalc, n } = this;
    for (let k = 0; k < n; k++) {
      const vr = vRe[k];
      const vi = vIm[k];
      const invVm = 1 / vmPu[k];
      for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
        const i = rows[p];
        // c = V_i·conj(Y_ik·V_k)
        const a = gPu[p] * vr - bPu[p] * vi;
        const b = gPu[p] * vi + bPu[p] * vr;
        let dThetaRe = vRe[i] * a + vIm[i] * b;
        let dThetaIm = vIm[i] * a - vRe[i] * b;
        // ∂S/∂|V| general term = c/|V_k|; ∂S/∂θ general term = −j·c
        let dVmRe = dThetaRe * invVm;
        let dVmIm = dThetaIm * invVm;
        const cRe = dThetaRe;
        dThetaRe = dThetaIm;
        dThetaIm = -cRe;
        if (i === k) {
          dThetaRe -= qCalc[i];
          dThetaIm += pCalc[i];
          dVmRe += pCalc[i] * invVm;
          dVmIm += qCalc[i] * invVm;
        }
        let slot = s.slotPTheta[p];
        if (slot >= 0) values[slot] += dThetaRe;
        slot = s.slotPVm[p];
        if (slot >= 0) values[slot] += dVmRe;
        slot = s.slotQTheta[p];
        if (slot >= 0) values[slot] += dThetaIm;
        slot = s.slotQVm[p];
        if (slot >= 0) values[slot] += dVmIm;
      }
    }
  }

  /** Build (or reuse) the Jacobian pattern and LU analysis for this classification of buses. */
  private prepareStructure(busType: Int8Array): JacobianStructure {
    const key = busType.join('');
    if (this.structure && key === this.structureKey) return this.structure;
    const n = this.n;
    const pvpqList: number[] = [];
    const pqList: number[] = [];
    for (let i = 0; i < n; i++) {
      if (busType[i] === BUS_PV || busType[i] === BUS_PQ) pvpqList.push(i);
      if (busType[i] === BUS_PQ) pqList.push(i);
    }
    const npvpq = pvpqList.length;
    const size = npvpq + pqList.length;
    const rowP = new Int32Array(n).fill(-1);
    const rowQ = new Int32Array(n).fill(-1);
    for (let r = 0; r < npvpq; r++) rowP[pvpqList[r]] = r;
    for (let r = 0; r < pqList.length; r++) rowQ[pqList[r]] = npvpq + r;
    // Columns use the same numbering as rows: θ of bus i ↔ rowP[i], |V| of bus i ↔ rowQ[i].
    const { colStarts } = this.y.pattern;
    const rows = this.rowOfEntry;
    const nnzY = rows.length;
    const tripletRows: number[] = [];
    const tripletCols: number[] = [];
    const tripletOf = [
      new Int32Array(nnzY),
      new Int32Array(nnzY),
      new Int32Array(nnzY),
      new Int32Array(nnzY),
    ];
    for (let k = 0; k < n; k++) {
      for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
        const i = rows[p];
        const blocks: [number, number][] = [
          [rowP[i], rowP[k]],
          [rowP[i], rowQ[k]],
          [rowQ[i], rowP[k]],
          [rowQ[i], rowQ[k]],
        ];
        blocks.forEach(([r, c], b) => {
          if (r >= 0 && c >= 0) {
            tripletOf[b][p] = tripletRows.length;
            tripletRows.push(r);
            tripletCols.push(c);
          } else tripletOf[b][p] = -1;
        });
      }
    }
    const plan = createAssemblyPlan(size, size, Int32Array.from(tripletRows), Int32Array.from(tripletCols));
    const toSlot = (triplets: Int32Array) => triplets.map((t) => (t >= 0 ? plan.slotOfEntry[t] : -1));
    const jacobian: CscMatrix = { ...plan.pattern, values: new Float64Array(plan.pattern.values.length) };
    this.structure = {
      pvpq: Int32Array.from(pvpqList),
      pq: Int32Array.from(pqList),
      slotPTheta: toSlot(tripletOf[0]),
      slotPVm: toSlot(tripletOf[1]),
      slotQTheta: toSlot(tripletOf[2]),
      slotQVm: toSlot(tripletOf[3]),
      rowP,
      rowQ,
      jacobian,
      symbolic: analyseSparseLu(jacobian),
    };
    this.structureKey = key;
    return this.structure;
  }
}
