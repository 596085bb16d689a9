// Sparse LU: left-looking Gilbert–Peierls factorisation with AMD column ordering, threshold pivoting and refactor.
import { type CscMatrix, nnzOf } from './csc-matrix.ts';
import type { SparseLuSymbolic } from './sparse-lu-symbolic.ts';

export { solveSparseLu, solveTransposedSparseLu } from './sparse-lu-solve.ts';
export { analyseSparseLu, type SparseLuOptions, type SparseLuSymbolic } from './sparse-lu-symbolic.ts';

/** Thrown when no usable pivot exists: the matrix is singular (structurally or numerically). */
export class SingularMatrixError extends Error {
  /** Original column index of A at which elimination found no nonzero pivot candidate. */
  readonly column: number;
  /** Elimination step (position in the column ordering) at which this happened. */
  readonly pivotStep: number;

  constructor(column: number, pivotStep: number) {
    super(`matrix is singular: no nonzero pivot in column ${column} (elimination step ${pivotStep})`);
    this.name = 'SingularMatrixError';
    this.column = column;
    this.pivotStep = pivotStep;
  }
}

/** Counters for diagnostics and benchmarks. */
export interface SparseLuStats {
  fullFactorisations: number;
  refactorisations: number;
  /** Refactor calls that had to fall back to a full factorisation because a pivot became too small. */
  refactorFallbacks: number;
}

/**
 * P·A·Q = L·U with L unit lower triangular (stored without its diagonal) and U upper triangular
 * (diagonal stored apart). Rows of L and U are indexed by elimination step. Mutable: `refactorSparseLu`
 * overwrites the values in place, and a fallback replaces the patterns.
 */
export interface SparseLuFactors {
  readonly symbolic: SparseLuSymbolic;
  /**
   * False after a factorisation threw SingularMatrixError: `solveSparseLu` then refuses, and the next
   * `refactorSparseLu` does a full factorisation.
   */
  isValid: boolean;
  /** `rowOfStep[k]` is the row of A pivotal at step k (P). */
  readonly rowOfStep: Int32Array;
  /** `stepOfRow[i]` is the step at which row i of A is pivotal (P⁻¹). */
  readonly stepOfRow: Int32Array;
  lColStarts: Int32Array;
  lRowIndices: Int32Array;
  lValues: Float64Array;
  uColStarts: Int32Array;
  /** Row steps of each U column, in a topological order valid for the refactor. */
  uRowIndices: Int32Array;
  uValues: Float64Array;
  readonly uDiagonal: Float64Array;
  readonly stats: SparseLuStats;
  /** Dense work vectors kept zero between calls (length n each). */
  readonly work: Float64Array;
  readonly solveWork: Float64Array;
  /** Elimination step of the row of each stored entry of A, for the refactor scatter. */
  readonly stepOfEntry: Int32Array;
}

/** Entries in L (excluding its unit diagonal) plus U (including its diagonal). */
export function factorNnz(factors: SparseLuFactors): number {
  const n = factors.symbolic.size;
  return factors.lColStarts[n] + factors.uColStarts[n] + n;
}

function checkSamePattern(symbolic: SparseLuSymbolic, matrix: CscMatrix): void {
  const n = symbolic.size;
  if (matrix.numRows !== n || matrix.numCols !== n || nnzOf(matrix) !== symbolic.patternNnz) {
    throw new RangeError('matrix does not have the analysed pattern (size or entry count differ)');
  }
  if (matrix.colStarts === symbolic.colStarts && matrix.rowIndices === symbolic.rowIndices) return;
  const { colStarts, rowIndices } = symbolic;
  for (let j = 0; j <= n; j++) {
    if (matrix.colStarts[j] !== colStarts[j])
      throw new RangeError('matrix does not have the analysed pattern');
  }
  for (let p = 0; p < symbolic.patternNnz; p++) {
    if (matrix.rowIndices[p] !== rowIndices[p])
      throw new RangeError('matrix does not have the analysed pattern');
  }
}

/** Factorise A (which must have the analysed pattern) with threshold partial pivoting. */
export function factorSparseLu(matrix: CscMatrix, symbolic: SparseLuSymbolic): SparseLuFactors {
  checkSamePattern(symbolic, matrix);
  const n = symbolic.size;
  const capacity = symbolic.lowerNnzEstimate + n + 16;
  const factors: SparseLuFactors = {
    symbolic,
    isValid: false,
    rowOfStep: new Int32Array(n),
    stepOfRow: new Int32Array(n),
    lColStarts: new Int32Array(n + 1),
    lRowIndices: new Int32Array(capacity),
    lValues: new Float64Array(capacity),
    uColStarts: new Int32Array(n + 1),
    uRowIndices: new Int32Array(capacity),
    uValues: new Float64Array(capacity),
    uDiagonal: new Float64Array(n),
    stats: { fullFactorisations: 0, refactorisations: 0, refactorFallbacks: 0 },
    work: new Float64Array(n),
    solveWork: new Float64Array(n),
    stepOfEntry: new Int32Array(symbolic.patternNnz),
  };
  factorInto(factors, matrix);
  return factors;
}

/** Grow a typed array to at least `needed` entries, keeping the first `used`. */
function growInt32(array: Int32Array, used: number, needed: number): Int32Array {
  const grown = new Int32Array(Math.max(needed, 2 * array.length));
  grown.set(array.subarray(0, used));
  return grown;
}

function growFloat64(array: Float64Array, used: number, needed: number): Float64Array {
  const grown = new Float64Array(Math.max(needed, 2 * array.length));
  grown.set(array.subarray(0, used));
  return grown;
}

/**
 * Full numeric factorisation into `factors` (Gilbert & Peierls 1988): for each column, find the
 * reach of its pattern in the graph of L by depth-first search, solve with L over that reach in
 * topological order, then pick the pivot. L holds original row indices until the end.
 */
function factorInto(factors: SparseLuFactors, matrix: CscMatrix): void {
  const { symbolic, rowOfStep, stepOfRow, uDiagonal } = factors;
  const n = symbolic.size;
  const q = symbolic.columnOrder;
  const tolerance = symbolic.pivotTolerance;
  const { colStarts: aStarts, rowIndices: aRows, values: aValues } = matrix;
  const x = factors.work;
  x.fill(0);
  factors.isValid = false;
  const lStarts = factors.lColStarts;
  const uStarts = factors.uColStarts;
  let lRows = factors.lRowIndices;
  let lValues = factors.lValues;
  let uRows = factors.uRowIndices;
  let uValues = factors.uValues;
  // DFS workspace: `reach[top..n)` receives the topological order; marks are stamped with the step.
  const reach = new Int32Array(n);
  const stack = new Int32Array(n);
  const stackPos = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  stepOfRow.fill(-1);
  let lnz = 0;
  let unz = 0;

  for (let k = 0; k < n; k++) {
    const col = q[k];
    lStarts[k] = lnz;
    uStarts[k] = unz;
    if (lnz + n - k > lRows.length) {
      lRows = growInt32(lRows, lnz, lnz + n - k);
      lValues = growFloat64(lValues, lnz, lnz + n - k);
    }
    if (unz + k > uRows.length) {
      uRows = growInt32(uRows, unz, unz + k);
      uValues = growFloat64(uValues, unz, unz + k);
    }

    // Symbolic: reach of A(:, col) in the graph of L (pivotal row i → rows of L(:, stepOfRow[i])).
    let top = n;
    const aEnd = aStarts[col + 1];
    for (let p = aStarts[col]; p < aEnd; p++) {
      const start = aRows[p];
      if (mark[start] === k) continue;
      let depth = 0;
      stack[0] = start;
      mark[start] = k;
      const s0 = stepOfRow[start];
      stackPos[0] = s0 < 0 ? 0 : lStarts[s0];
      while (depth >= 0) {
        const i = stack[depth];
        const step = stepOfRow[i];
        let pushed = false;
        if (step >= 0) {
          const end = lStarts[step + 1];
          for (let t = stackPos[depth]; t < end; t++) {
            const r = lRows[t];
            if (mark[r] === k) continue;
            stackPos[depth] = t + 1;
            mark[r] = k;
            depth++;
            stack[depth] = r;
            const sr = stepOfRow[r];
            stackPos[depth] = sr < 0 ? 0 : lStarts[sr];
            pushed = true;
            break;
          }
        }
        if (!pushed) {
          depth--;
          reach[--top] = i;
        }
      }
    }

    // Numeric: x = L \ A(:, col) over the reach.
    for (let p = aStarts[col]; p < aEnd; p++) x[aRows[p]] = aValues[p];
    for (let t = top; t < n; t++) {
      const i = reach[t];
      const step = stepOfRow[i];
      if (step < 0) continue;
      const xi = x[i];
      if (xi === 0) continue;
      const end = lStarts[step + 1];
      for (let p = lStarts[step]; p < end; p++) x[lRows[p]] -= lValues[p] * xi;
    }

    // Pivot choice among rows not yet pivotal; U entries go out in topological order.
    let pivotRow = -1;
    let largest = -1;
    for (let t = top; t < n; t++) {
      const i = reach[t];
      const step = stepOfRow[i];
      if (step < 0) {
        const magnitude = Math.abs(x[i]);
        if (magnitude > largest) {
          largest = magnitude;
          pivotRow = i;
        }
      } else {
        uRows[unz] = step;
        uValues[unz++] = x[i];
      }
    }
    if (pivotRow === -1 || !(largest > 0)) {
      for (let t = top; t < n; t++) x[reach[t]] = 0;
      factors.lRowIndices = lRows;
      factors.lValues = lValues;
      factors.uRowIndices = uRows;
      factors.uValues = uValues;
      throw new SingularMatrixError(col, k);
    }
    if (stepOfRow[col] < 0 && Math.abs(x[col]) >= tolerance * largest) pivotRow = col;
    const pivot = x[pivotRow];
    uDiagonal[k] = pivot;
    stepOfRow[pivotRow] = k;
    rowOfStep[k] = pivotRow;
    const inverse = 1 / pivot;
    for (let t = top; t < n; t++) {
      const i = reach[t];
      if (stepOfRow[i] < 0) {
        lRows[lnz] = i;
        lValues[lnz++] = x[i] * inverse;
      }
      x[i] = 0;
    }
  }
  lStarts[n] = lnz;
  uStarts[n] = unz;
  // Renumber L's rows from rows of A to elimination steps.
  for (let p = 0; p < lnz; p++) lRows[p] = stepOfRow[lRows[p]];
  const stepOfEntry = factors.stepOfEntry;
  for (let p = 0; p < stepOfEntry.length; p++) stepOfEntry[p] = stepOfRow[aRows[p]];
  factors.lRowIndices = lRows;
  factors.lValues = lValues;
  factors.uRowIndices = uRows;
  factors.uValues = uValues;
  factors.isValid = true;
  factors.stats.fullFactorisations++;
}

/**
 * Refactorise for new values on the same pattern, reusing the pivot sequence and the L/U patterns:
 * one numeric pass with no search and no allocation. If a pivot becomes too small relative to its
 * column, falls back to a full factorisation (with fresh pivoting) into the same object. Returns `factors`.
 */
export function refactorSparseLu(factors: SparseLuFactors, matrix: CscMatrix): SparseLuFactors {
  const { symbolic, stepOfEntry, uDiagonal } = factors;
  checkSamePattern(symbolic, matrix);
  if (!factors.isValid) {
    factorInto(factors, matrix);
    return factors;
  }
  const n = symbolic.size;
  const q = symbolic.columnOrder;
  const tolerance = symbolic.refactorPivotTolerance;
  const { colStarts: aStarts, values: aValues } = matrix;
  const {
    lColStarts: lStarts,
    lRowIndices: lRows,
    lValues,
    uColStarts: uStarts,
    uRowIndices: uRows,
    uValues,
  } = factors;
  const x = factors.work; // indexed by elimination step, zero on entry and exit
  for (let k = 0; k < n; k++) {
    const col = q[k];
    const aEnd = aStarts[col + 1];
    for (let p = aStarts[col]; p < aEnd; p++) x[stepOfEntry[p]] = aValues[p];
    const uEnd = uStarts[k + 1];
    for (let p = uStarts[k]; p < uEnd; p++) {
      const j = uRows[p];
      const xj = x[j];
      uValues[p] = xj;
      x[j] = 0;
      if (xj === 0) continue;
      const lEnd = lStarts[j + 1];
      for (let t = lStarts[j]; t < lEnd; t++) x[lRows[t]] -= lValues[t] * xj;
    }
    const pivot = x[k];
    x[k] = 0;
    const lEnd = lStarts[k + 1];
    let largest = 0;
    for (let t = lStarts[k]; t < lEnd; t++) {
      const magnitude = Math.abs(x[lRows[t]]);
      if (magnitude > largest) largest = magnitude;
    }
    const pivotMagnitude = Math.abs(pivot);
    if (!(pivotMagnitude > 0) || pivotMagnitude < tolerance * largest || !Number.isFinite(pivot)) {
      x.fill(0);
      factors.stats.refactorFallbacks++;
      factorInto(factors, matrix);
      return factors;
    }
    uDiagonal[k] = pivot;
    const inverse = 1 / pivot;
    for (let t = lStarts[k]; t < lEnd; t++) {
      const r = lRows[t];
      lValues[t] = x[r] * inverse;
      x[r] = 0;
    }
  }
  factors.stats.refactorisations++;
  return factors;
}
