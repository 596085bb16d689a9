// Sparse LU symbolic analysis: options, column ordering (AMD by default) and the diagonal-pivot fill estimate.
import { type CscMatrix, nnzOf } from './csc-matrix.ts';
import { approximateMinimumDegree } from './ordering.ts';
import { isPermutation, naturalOrdering } from './permutation.ts';

export interface SparseLuOptions {
  /** Fill-reducing column ordering: AMD on A + Aᵀ (default), natural, or an explicit permutation. */
  readonly ordering?: 'amd' | 'natural' | Int32Array;
  /**
   * Threshold partial pivoting: the diagonal entry (of the symmetrically permuted matrix) is kept as
   * pivot when |a_diag| ≥ pivotTolerance · max |a_candidate|; otherwise the largest candidate is taken.
   * 1 is classic partial pivoting; smaller values keep sparsity (default 0.1).
   */
  readonly pivotTolerance?: number;
  /**
   * Refactor keeps the old pivot sequence unless a pivot drops below refactorPivotTolerance times the
   * largest entry below it in its column; then it falls back to a full factorisation (default 1e-3).
   */
  readonly refactorPivotTolerance?: number;
}

/** Result of the symbolic analysis: depends only on the pattern, reusable for any values. */
export interface SparseLuSymbolic {
  readonly size: number;
  /** `columnOrder[k]` is the column of A eliminated at step k (also the preferred pivot row). */
  readonly columnOrder: Int32Array;
  /** Number of stored entries in the analysed pattern. */
  readonly patternNnz: number;
  /**
   * Entries of L (without diagonal) if every pivot stays on the diagonal: the Cholesky fill of the
   * permuted A + Aᵀ. Used to size the factor arrays; pivoting off the diagonal may need more.
   */
  readonly lowerNnzEstimate: number;
  readonly pivotTolerance: number;
  readonly refactorPivotTolerance: number;
  /** Pattern arrays of the analysed matrix, to check that later matrices share them. */
  readonly colStarts: Int32Array;
  readonly rowIndices: Int32Array;
}

/** Choose the column ordering and record the pattern. O(nnz · small) for AMD. */
export function analyseSparseLu(pattern: CscMatrix, options: SparseLuOptions = {}): SparseLuSymbolic {
  const n = pattern.numCols;
  if (pattern.numRows !== n)
    throw new RangeError(`sparse LU needs a square matrix, got ${pattern.numRows}×${n}`);
  const pivotTolerance = options.pivotTolerance ?? 0.1;
  const refactorPivotTolerance = options.refactorPivotTolerance ?? 1e-3;
  if (!(pivotTolerance > 0 && pivotTolerance <= 1)) {
    throw new RangeError(`pivotTolerance must lie in (0, 1], got ${pivotTolerance}`);
  }
  if (!(refactorPivotTolerance >= 0 && refactorPivotTolerance <= 1)) {
    throw new RangeError(`refactorPivotTolerance must lie in [0, 1], got ${refactorPivotTolerance}`);
  }
  const ordering = options.ordering ?? 'amd';
  let columnOrder: Int32Array;
  if (ordering === 'amd') columnOrder = approximateMinimumDegree(pattern);
  else if (ordering === 'natural') columnOrder = naturalOrdering(n);
  else {
    if (!isPermutation(ordering, n)) throw new RangeError('ordering is not a permutation of the columns');
    columnOrder = Int32Array.from(ordering);
  }
  return {
    size: n,
    columnOrder,
    patternNnz: nnzOf(pattern),
    lowerNnzEstimate: symmetricFillCount(pattern, columnOrder),
    pivotTolerance,
    refactorPivotTolerance,
    colStarts: pattern.colStarts,
    rowIndices: pattern.rowIndices,
  };
}

/**
 * nnz of the Cholesky factor (without diagonal) of the permuted A + Aᵀ: for each row k, walk the
 * elimination tree up from every entry of row k until reaching a node already visited for k
 * (row subtrees, Davis 2006 §4.1). O(nnz(L)) time, O(nnz(A) + n) memory.
 */
function symmetricFillCount(pattern: CscMatrix, columnOrder: Int32Array): number {
  const n = pattern.numCols;
  const { colStarts, rowIndices } = pattern;
  const step = new Int32Array(n);
  for (let k = 0; k < n; k++) step[columnOrder[k]] = k;
  // Entries (a, b) with a < b in permuted numbering, grouped by the larger index b.
  const counts = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    for (let p = colStarts[j]; p < colStarts[j + 1]; p++) {
      const a = step[rowIndices[p]];
      const b = step[j];
      if (a !== b) counts[Math.max(a, b) + 1]++;
    }
  }
  for (let k = 0; k < n; k++) counts[k + 1] += counts[k];
  const smaller = new Int32Array(counts[n]);
  const fill = counts.slice(0, n);
  for (let j = 0; j < n; j++) {
    for (let p = colStarts[j]; p < colStarts[j + 1]; p++) {
      const a = step[rowIndices[p]];
      const b = step[j];
      if (a < b) smaller[fill[b]++] = a;
      else if (b < a) smaller[fill[a]++] = b;
    }
  }
  const parent = new Int32Array(n).fill(-1);
  const visited = new Int32Array(n).fill(-1);
  let count = 0;
  for (let k = 0; k < n; k++) {
    visited[k] = k;
    for (let p = counts[k]; p < counts[k + 1]; p++) {
      let i = smaller[p];
      while (visited[i] !== k) {
        if (parent[i] === -1) parent[i] = k;
        visited[i] = k;
        count++;
        i = parent[i];
      }
    }
  }
  return count;
}
