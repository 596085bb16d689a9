// Sparse LDLᵀ of a symmetric (quasi-definite) matrix: elimination tree, column counts, up-looking numeric factor.
import type { CscMatrix } from './csc-matrix.ts';
import { approximateMinimumDegree } from './ordering.ts';
import { invertPermutation, isPermutation } from './permutation.ts';

/**
 * Pattern analysis of P·A·Pᵀ for a fixed symmetric pattern: the fill-reducing order (AMD unless given), the
 * elimination tree and the exact number of entries in each column of L (Davis, _Algorithm 849: a concise sparse
 * Cholesky factorization package_, ACM TOMS 31(4), 2005).
 */
export interface SparseLdlSymbolic {
  readonly n: number;
  /** `order[k]` = original row/column eliminated k-th; `inverse[order[k]] = k`. */
  readonly order: Int32Array;
  readonly inverse: Int32Array;
  readonly parent: Int32Array;
  /** Column starts of L (strictly lower part, unit diagonal not stored); `colStarts[n]` = nnz(L). */
  readonly colStarts: Int32Array;
}

/** L (unit lower triangular, by columns, in the permuted numbering) and the diagonal D. */
export interface SparseLdlFactors {
  readonly symbolic: SparseLdlSymbolic;
  readonly rowIndices: Int32Array;
  readonly values: Float64Array;
  readonly diagonal: Float64Array;
  /** Pivots that were below the regularisation threshold and were replaced by ±threshold. */
  regularisedPivots: number;
}

export interface SparseLdlOptions {
  /**
   * Expected sign of each pivot in the ORIGINAL numbering (+1 or −1), for quasi-definite matrices: a pivot
   * with the wrong sign or |d| < `pivotThreshold` becomes sign·`pivotThreshold` (dynamic regularisation).
   * Absent: pivots are used as computed and an exactly zero pivot throws.
   */
  readonly pivotSigns?: Int8Array;
  readonly pivotThreshold?: number;
}

/**
 * Analyse a square matrix whose pattern is symmetric (both triangles stored). Only the pattern is read.
 * Time O(nnz(L)) after ordering; memory O(n + nnz(A)).
 */
export function analyseSparseLdl(pattern: CscMatrix, order?: Int32Array): SparseLdlSymbolic {
  const n = pattern.numCols;
  if (pattern.numRows !== n) throw new RangeError(`LDLᵀ needs a square matrix, got ${pattern.numRows}×${n}`);
  const perm = order ?? approximateMinimumDegree(pattern);
  if (!isPermutation(perm, n)) throw new RangeError('order is not a permutation of the columns');
  const inverse = invertPermutation(perm);
  const parent = new Int32Array(n);
  const flag = new Int32Array(n);
  const counts = new Int32Array(n);
  const { colStarts: ap, rowIndices: ai } = pattern;
  for (let k = 0; k < n; k++) {
    parent[k] = -1;
    flag[k] = k;
    const col = perm[k];
    for (let p = ap[col]; p < ap[col + 1]; p++) {
      let i = inverse[ai[p]];
      if (i >= k) continue;
      // Walk from i up the elimination tree to the first node already flagged in row k.
      for (; flag[i] !== k; i = parent[i]) {
        if (parent[i] === -1) parent[i] = k;
        counts[i]++;
        flag[i] = k;
      }
    }
  }
  const colStarts = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) colStarts[k + 1] = colStarts[k] + counts[k];
  return { n, order: perm, inverse, parent, colStarts };
}

/** Number of stored entries of L (strictly lower part). */
export function ldlFactorNnz(symbolic: SparseLdlSymbolic): number {
  return symbolic.colStarts[symbolic.n];
}

/** Allocate factor storage once for a symbolic analysis; `refactorSparseLdl` fills it. */
export function createSparseLdlFactors(symbolic: SparseLdlSymbolic): SparseLdlFactors {
  const nnz = ldlFactorNnz(symbolic);
  return {
    symbolic,
    rowIndices: new Int32Array(nnz),
    values: new Float64Array(nnz),
    diagonal: new Float64Array(symbolic.n),
    regularisedPivots: 0,
  };
}

/**
 * Numeric up-looking factorisation P·A·Pᵀ = L·D·Lᵀ into preallocated factors (row k of L by a sparse
 * triangular solve along the elimination tree). `matrix` must have the analysed pattern with both triangles.
 * No pivoting: meant for quasi-definite matrices (Vanderbei 1995), which have an LDLᵀ for every symmetric order.
 */
export function refactorSparseLdl(
  factors: SparseLdlFactors,
  matrix: CscMatrix,
  options: SparseLdlOptions = {},
): SparseLdlFactors {
  const { n, order, inverse, parent, colStarts: lp } = factors.symbolic;
  const { rowIndices: li, values: lx, diagonal: d } = factors;
  const { colStarts: ap, rowIndices: ai, values: ax } = matrix;
  const signs = options.pivotSigns;
  const threshold = options.pivotThreshold ?? 0;
  const y = new Float64Array(n);
  const flag = new Int32Array(n);
  const pattern = new Int32Array(n);
  const lnz = new Int32Array(n);
  let regularised = 0;
  for (let k = 0; k < n; k++) {
    y[k] = 0;
    let top = n;
    flag[k] = k;
    lnz[k] = 0;
    const col = order[k];
    for (let p = ap[col]; p < ap[col + 1]; p++) {
      let i = inverse[ai[p]];
      if (i > k) continue;
      y[i] += ax[p];
      let len = 0;
      for (; flag[i] !== k; i = parent[i]) {
        pattern[len++] = i;
        flag[i] = k;
      }
      while (len > 0) pattern[--top] = pattern[--len];
    }
    let dk = y[k];
    y[k] = 0;
    for (; top < n; top++) {
      const i = pattern[top];
      const yi = y[i];
      y[i] = 0;
      const end = lp[i] + lnz[i];
      for (let p = lp[i]; p < end; p++) y[li[p]] -= lx[p] * yi;
      const lki = yi / d[i];
      dk -= lki * yi;
      li[end] = k;
      lx[end] = lki;
      lnz[i]++;
    }
    if (signs) {
      const s = signs[col];
      if (!(s * dk >= threshold)) {
        dk = s * threshold;
        regularised++;
      }
    } else if (dk === 0) {
      throw new RangeError(`zero pivot at step ${k} (column ${col})`);
    }
    d[k] = dk;
  }
  factors.regularisedPivots = regularised;
  return factors;
}

/** Analyse and factorise in one call. */
export function factorSparseLdl(matrix: CscMatrix, options: SparseLdlOptions = {}): SparseLdlFactors {
  return refactorSparseLdl(createSparseLdlFactors(analyseSparseLdl(matrix)), matrix, options);
}

/** Solve A·x = b with the factors; `x` may alias `b`. `work` (length n) avoids an allocation per solve. */
export function solveSparseLdl(
  factors: SparseLdlFactors,
  b: Float64Array,
  x: Float64Array,
  work: Float64Array = new Float64Array(factors.symbolic.n),
): Float64Array {
  const { n, order, colStarts: lp } = factors.symbolic;
  const { rowIndices: li, values: lx, diagonal: d } = factors;
  for (let k = 0; k < n; k++) work[k] = b[order[k]];
  for (let j = 0; j < n; j++) {
    const wj = work[j];
    if (wj === 0) continue;
    for (let p = lp[j]; p < lp[j + 1]; p++) work[li[p]] -= lx[p] * wj;
  }
  for (let j = 0; j < n; j++) work[j] /= d[j];
  for (let j = n - 1; j >= 0; j--) {
    let s = work[j];
    for (let p = lp[j]; p < lp[j + 1]; p++) s -= lx[p] * work[li[p]];
    work[j] = s;
  }
  for (let k = 0; k < n; k++) x[order[k]] = work[k];
  return x;
}
