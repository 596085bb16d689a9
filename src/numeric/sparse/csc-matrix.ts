// Compressed sparse column (CSC) matrices: triplet assembly with reusable plans, products and transposes.

/**
 * A sparse matrix in compressed sparse column form. Column `j` holds the entries
 * `rowIndices[p], values[p]` for `colStarts[j] <= p < colStarts[j + 1]`; row indices are sorted
 * ascending within each column and never repeated.
 */
export interface CscMatrix {
  readonly numRows: number;
  readonly numCols: number;
  /** Length `numCols + 1`; `colStarts[numCols]` is the number of stored entries. */
  readonly colStarts: Int32Array;
  readonly rowIndices: Int32Array;
  readonly values: Float64Array;
}

/**
 * A fixed sparsity pattern built from a list of (row, col) triplet positions, plus the slot in
 * `pattern.values` that each triplet adds into. Refilling a matrix with this pattern (a Newton
 * Jacobian each iteration) is then one pass over the triplet values with no allocation.
 */
export interface AssemblyPlan {
  /** The summed-duplicates pattern; its `values` array is a zero-filled template, never written by `assemble`. */
  readonly pattern: CscMatrix;
  /** `slotOfEntry[e]` is the index into `values` that triplet `e` adds into. */
  readonly slotOfEntry: Int32Array;
}

/** Number of stored entries. */
export function nnzOf(matrix: CscMatrix): number {
  return matrix.colStarts[matrix.numCols];
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x3fffffff) {
    throw new RangeError(`${name} must be a non-negative integer below 2^30, got ${value}`);
  }
}

/**
 * Build the CSC pattern of the given triplet positions (duplicates merged) and the slot of each triplet.
 * Runs in O(numRows + numCols + entries) with two counting sorts; no comparison sort.
 */
export function createAssemblyPlan(
  numRows: number,
  numCols: number,
  rows: Int32Array,
  cols: Int32Array,
): AssemblyPlan {
  checkDimension('numRows', numRows);
  checkDimension('numCols', numCols);
  const numEntries = rows.length;
  if (cols.length !== numEntries) {
    throw new RangeError(`rows and cols differ in length (${numEntries} vs ${cols.length})`);
  }
  // Counting sort by row, then a stable counting sort by column: entries end up ordered by (col, row).
  const rowCounts = new Int32Array(numRows + 1);
  for (let e = 0; e < numEntries; e++) {
    const i = rows[e];
    const j = cols[e];
    if (i < 0 || i >= numRows || j < 0 || j >= numCols) {
      throw new RangeError(`triplet ${e} at (${i}, ${j}) lies outside a ${numRows}×${numCols} matrix`);
    }
    rowCounts[i + 1]++;
  }
  for (let i = 0; i < numRows; i++) rowCounts[i + 1] += rowCounts[i];
  const byRow = new Int32Array(numEntries);
  for (let e = 0; e < numEntries; e++) byRow[rowCounts[rows[e]]++] = e;

  const colCounts = new Int32Array(numCols + 1);
  for (let e = 0; e < numEntries; e++) colCounts[cols[e] + 1]++;
  for (let j = 0; j < numCols; j++) colCounts[j + 1] += colCounts[j];
  const byColRow = new Int32Array(numEntries);
  for (let t = 0; t < numEntries; t++) {
    const e = byRow[t];
    byColRow[colCounts[cols[e]]++] = e;
  }

  // Walk entries in (col, row) order and open a new slot whenever the position changes.
  const slotOfEntry = new Int32Array(numEntries);
  const colStarts = new Int32Array(numCols + 1);
  const rowIndicesFull = new Int32Array(numEntries);
  let numSlots = 0;
  let previousRow = -1;
  let previousCol = -1;
  for (let t = 0; t < numEntries; t++) {
    const e = byColRow[t];
    const i = rows[e];
    const j = cols[e];
    if (i !== previousRow || j !== previousCol) {
      rowIndicesFull[numSlots] = i;
      colStarts[j + 1]++;
      numSlots++;
      previousRow = i;
      previousCol = j;
    }
    slotOfEntry[e] = numSlots - 1;
  }
  for (let j = 0; j < numCols; j++) colStarts[j + 1] += colStarts[j];
  const pattern: CscMatrix = {
    numRows,
    numCols,
    colStarts,
    rowIndices: rowIndicesFull.slice(0, numSlots),
    values: new Float64Array(numSlots),
  };
  return { pattern, slotOfEntry };
}

/**
 * Sum triplet values into a matrix with the plan's pattern. With `out` (a matrix sharing the plan's
 * pattern, e.g. from an earlier call) the values are overwritten in place and nothing is allocated.
 */
export function assemble(plan: AssemblyPlan, entryValues: ArrayLike<number>, out?: CscMatrix): CscMatrix {
  const { pattern, slotOfEntry } = plan;
  const numEntries = slotOfEntry.length;
  if (entryValues.length !== numEntries) {
    throw new RangeError(`expected ${numEntries} entry values, got ${entryValues.length}`);
  }
  let target = out;
  if (target === undefined) {
    target = { ...pattern, values: new Float64Array(pattern.values.length) };
  } else if (target.values.length !== pattern.values.length || target.numCols !== pattern.numCols) {
    throw new RangeError('out does not have the pattern of this assembly plan');
  } else {
    target.values.fill(0);
  }
  const values = target.values;
  for (let e = 0; e < numEntries; e++) values[slotOfEntry[e]] += entryValues[e];
  return target;
}

/** Build a CSC matrix from triplets, summing duplicates. For a pattern reused many times, use `createAssemblyPlan`. */
export function cscFromTriplets(
  numRows: number,
  numCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values: ArrayLike<number>,
): CscMatrix {
  return assemble(createAssemblyPlan(numRows, numCols, rows, cols), values);
}

/** y = A·x. `y` may be preallocated (length numRows) and must not alias `x`. */
export function multiplyCsc(matrix: CscMatrix, x: ArrayLike<number>, y?: Float64Array): Float64Array {
  const { numRows, numCols, colStarts, rowIndices, values } = matrix;
  if (x.length !== numCols) throw new RangeError(`x has length ${x.length}, expected ${numCols}`);
  const out = y ?? new Float64Array(numRows);
  if (out.length !== numRows) throw new RangeError(`y has length ${out.length}, expected ${numRows}`);
  out.fill(0);
  for (let j = 0; j < numCols; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    const end = colStarts[j + 1];
    for (let p = colStarts[j]; p < end; p++) out[rowIndices[p]] += values[p] * xj;
  }
  return out;
}

/** Aᵀ as a new CSC matrix (row indices come out sorted). */
export function transposeCsc(matrix: CscMatrix): CscMatrix {
  const { numRows, numCols, colStarts, rowIndices, values } = matrix;
  const nnz = colStarts[numCols];
  const outStarts = new Int32Array(numRows + 1);
  for (let p = 0; p < nnz; p++) outStarts[rowIndices[p] + 1]++;
  for (let i = 0; i < numRows; i++) outStarts[i + 1] += outStarts[i];
  const next = outStarts.slice(0, numRows);
  const outRows = new Int32Array(nnz);
  const outValues = new Float64Array(nnz);
  for (let j = 0; j < numCols; j++) {
    const end = colStarts[j + 1];
    for (let p = colStarts[j]; p < end; p++) {
      const q = next[rowIndices[p]]++;
      outRows[q] = j;
      outValues[q] = values[p];
    }
  }
  return { numRows: numCols, numCols: numRows, colStarts: outStarts, rowIndices: outRows, values: outValues };
}

/** Dense rows of a small matrix. O(numRows·numCols) memory: for tests and debugging only. */
export function cscToDenseRows(matrix: CscMatrix): Float64Array[] {
  const dense: Float64Array[] = [];
  for (let i = 0; i < matrix.numRows; i++) dense.push(new Float64Array(matrix.numCols));
  for (let j = 0; j < matrix.numCols; j++) {
    for (let p = matrix.colStarts[j]; p < matrix.colStarts[j + 1]; p++) {
      dense[matrix.rowIndices[p]][j] += matrix.values[p];
    }
  }
  return dense;
}

/** CSC matrix of the nonzeros of small dense rows: for tests and debugging only. */
export function cscFromDenseRows(
  dense: readonly ArrayLike<number>[],
  numCols = dense[0]?.length ?? 0,
): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < numCols; j++) {
    for (let i = 0; i < dense.length; i++) {
      if (dense[i][j] !== 0) {
        rows.push(i);
        cols.push(j);
        values.push(dense[i][j]);
      }
    }
  }
  return cscFromTriplets(dense.length, numCols, Int32Array.from(rows), Int32Array.from(cols), values);
}
