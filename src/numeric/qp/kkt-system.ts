// The regularised quasi-definite KKT matrix of the interior point method, factorised by sparse LDLᵀ.
import { assemble, type CscMatrix, createAssemblyPlan, multiplyCsc } from '../sparse/index.ts';
import {
  analyseSparseLdl,
  createSparseLdlFactors,
  ldlFactorNnz,
  refactorSparseLdl,
  type SparseLdlFactors,
  type SparseLdlSymbolic,
  solveSparseLdl,
} from '../sparse/sparse-ldl.ts';
import type { NewtonSystem } from './network-system.ts';
import type { ReducedQp } from './standard-form.ts';

/**
 *   K = [ Q + Dx + ρI      Aᵀ        ]      n + m unknowns (dx, −dy); the pattern is fixed, only the diagonal
 *       [ A           −(E + δI)      ]      changes between iterations. Quasi-definite for ρ, δ > 0, so an LDLᵀ
 * exists in the AMD order without pivoting (Vanderbei, SIAM J. Optim. 5(1), 1995); solves are followed by
 * iterative refinement against the unregularised matrix (Friedlander & Orban 2012).
 */
export class KktSystem implements NewtonSystem {
  readonly size: number;
  private readonly n: number;
  private readonly matrix: CscMatrix;
  private readonly diagonalSlot: Int32Array;
  private readonly qDiagonal: Float64Array;
  private readonly symbolic: SparseLdlSymbolic;
  /** Allocated at the first `factor`, so that a system can be analysed and then declined for its cost. */
  private factors: SparseLdlFactors | undefined;
  private readonly signs: Int8Array;
  private readonly regularisation: Float64Array;
  private readonly work: Float64Array;
  private readonly residual: Float64Array;
  private readonly correction: Float64Array;
  private readonly product: Float64Array;

  constructor(qp: ReducedQp) {
    const { n, m, a, q } = qp;
    this.n = n;
    this.size = n + m;
    const nnzA = a.colStarts[n];
    const nnzQ = q.colStarts[n];
    const count = nnzQ + 2 * nnzA + n + m;
    const rows = new Int32Array(count);
    const cols = new Int32Array(count);
    const values = new Float64Array(count);
    let e = 0;
    for (let j = 0; j < n; j++) {
      for (let p = q.colStarts[j]; p < q.colStarts[j + 1]; p++) {
        rows[e] = q.rowIndices[p];
        cols[e] = j;
        values[e++] = q.values[p];
      }
      for (let p = a.colStarts[j]; p < a.colStarts[j + 1]; p++) {
        const i = n + a.rowIndices[p];
        rows[e] = i;
        cols[e] = j;
        values[e++] = a.values[p];
        rows[e] = j;
        cols[e] = i;
        values[e++] = a.values[p];
      }
    }
    const firstDiagonal = e;
    for (let k = 0; k < n + m; k++) {
      rows[e] = k;
      cols[e++] = k;
    }
    const plan = createAssemblyPlan(n + m, n + m, rows, cols);
    this.matrix = assemble(plan, values);
    this.diagonalSlot = plan.slotOfEntry.slice(firstDiagonal);
    this.qDiagonal = new Float64Array(n);
    for (let j = 0; j < n; j++) this.qDiagonal[j] = this.matrix.values[this.diagonalSlot[j]];
    this.symbolic = analyseSparseLdl(this.matrix);
    this.signs = new Int8Array(n + m);
    for (let k = 0; k < n + m; k++) this.signs[k] = k < n ? 1 : -1;
    this.regularisation = new Float64Array(n + m);
    this.work = new Float64Array(n + m);
    this.residual = new Float64Array(n + m);
    this.correction = new Float64Array(n + m);
    this.product = new Float64Array(n + m);
  }

  /** Entries of L (fill included). */
  get factorNnz(): number {
    return ldlFactorNnz(this.symbolic);
  }

  /** Multiply–adds of the numeric factorisation, Σ_k (entries in column k of L)². */
  get factorFlops(): number {
    const { colStarts, n } = this.symbolic;
    let flops = 0;
    for (let k = 0; k < n; k++) flops += (colStarts[k + 1] - colStarts[k]) ** 2;
    return flops;
  }

  /** Set the diagonal (Dx ≥ 0 on the n columns, E ≥ 0 on the m rows) and factorise. */
  factor(dx: Float64Array, eRows: Float64Array, rho: number, delta: number): void {
    const { n, matrix, diagonalSlot, regularisation } = this;
    for (let j = 0; j < n; j++) {
      matrix.values[diagonalSlot[j]] = this.qDiagonal[j] + dx[j] + rho;
      regularisation[j] = rho;
    }
    for (let i = 0; i < this.size - n; i++) {
      matrix.values[diagonalSlot[n + i]] = -(eRows[i] + delta);
      regularisation[n + i] = -delta;
    }
    this.factors ??= createSparseLdlFactors(this.symbolic);
    refactorSparseLdl(this.factors, matrix, { pivotSigns: this.signs, pivotThreshold: Math.min(rho, delta) });
  }

  /**
   * Solve K₀·out = rhs (K₀ without ρ, δ) by the regularised factors, refined while the residual exceeds
   * `REFINE_TOLERANCE`·‖rhs‖∞ (at most `MAX_REFINEMENTS` steps).
   */
  solve(rhs: Float64Array, out: Float64Array): void {
    const { residual, correction, product, regularisation } = this;
    const factors = this.factors;
    if (!factors) throw new Error('KktSystem.solve before factor');
    solveSparseLdl(factors, rhs, out, this.work);
    let scale = 0;
    for (let k = 0; k < this.size; k++) scale = Math.max(scale, Math.abs(rhs[k]));
    for (let r = 0; r < MAX_REFINEMENTS; r++) {
      multiplyCsc(this.matrix, out, product);
      let largest = 0;
      for (let k = 0; k < this.size; k++) {
        residual[k] = rhs[k] - (product[k] - regularisation[k] * out[k]);
        largest = Math.max(largest, Math.abs(residual[k]));
      }
      if (!(largest > REFINE_TOLERANCE * scale)) return;
      solveSparseLdl(factors, residual, correction, this.work);
      for (let k = 0; k < this.size; k++) out[k] += correction[k];
    }
  }
}

const MAX_REFINEMENTS = 3;
const REFINE_TOLERANCE = 1e-12;
