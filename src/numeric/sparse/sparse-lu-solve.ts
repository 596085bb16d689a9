// Sparse LU solves: A·x = b and Aᵀ·x = b with the factors of sparse-lu.ts, by four triangular sweeps.
import type { SparseLuFactors } from './sparse-lu.ts';

/** Check a solve's arguments; returns the size, the output vector and the work vector. */
function prepareSolve(
  factors: SparseLuFactors,
  b: ArrayLike<number>,
  x: Float64Array | undefined,
): { n: number; out: Float64Array; y: Float64Array } {
  const n = factors.symbolic.size;
  if (!factors.isValid) throw new Error('sparse LU factors are invalid: the last factorisation failed');
  if (b.length !== n) throw new RangeError(`b has length ${b.length}, expected ${n}`);
  const out = x ?? new Float64Array(n);
  if (out.length !== n) throw new RangeError(`x has length ${out.length}, expected ${n}`);
  return { n, out, y: factors.solveWork };
}

/** y ← L⁻¹y, L unit lower triangular by columns. */
function forwardUnitLower(f: SparseLuFactors, y: Float64Array, n: number): void {
  const { lColStarts: starts, lRowIndices: rows, lValues: values } = f;
  for (let j = 0; j < n; j++) {
    const yj = y[j];
    if (yj === 0) continue;
    const end = starts[j + 1];
    for (let p = starts[j]; p < end; p++) y[rows[p]] -= values[p] * yj;
  }
}

/** y ← U⁻¹y, U upper triangular by columns (diagonal apart), backwards. */
function backwardUpper(f: SparseLuFactors, y: Float64Array, n: number): void {
  const { uColStarts: starts, uRowIndices: rows, uValues: values, uDiagonal: diagonal } = f;
  for (let j = n - 1; j >= 0; j--) {
    const yj = y[j] / diagonal[j];
    y[j] = yj;
    if (yj === 0) continue;
    const end = starts[j + 1];
    for (let p = starts[j]; p < end; p++) y[rows[p]] -= values[p] * yj;
  }
}

/** y ← U⁻ᵀy: forward, each column of U is a row of Uᵀ. */
function forwardUpperTransposed(f: SparseLuFactors, y: Float64Array, n: number): void {
  const { uColStarts: starts, uRowIndices: rows, uValues: values, uDiagonal: diagonal } = f;
  for (let j = 0; j < n; j++) {
    let sum = y[j];
    const end = starts[j + 1];
    for (let p = starts[j]; p < end; p++) sum -= values[p] * y[rows[p]];
    y[j] = sum / diagonal[j];
  }
}

/** y ← L⁻ᵀy: backward. */
function backwardUnitLowerTransposed(f: SparseLuFactors, y: Float64Array, n: number): void {
  const { lColStarts: starts, lRowIndices: rows, lValues: values } = f;
  for (let j = n - 1; j >= 0; j--) {
    let sum = y[j];
    const end = starts[j + 1];
    for (let p = starts[j]; p < end; p++) sum -= values[p] * y[rows[p]];
    y[j] = sum;
  }
}

/**
 * Solve A·x = b with the factors. `x` may be preallocated or be `b` itself (solved in place);
 * nothing is allocated when `x` is given.
 */
export function solveSparseLu(
  factors: SparseLuFactors,
  b: ArrayLike<number>,
  x?: Float64Array,
): Float64Array {
  const { n, out, y } = prepareSolve(factors, b, x);
  const rowOfStep = factors.rowOfStep;
  for (let k = 0; k < n; k++) y[k] = b[rowOfStep[k]];
  forwardUnitLower(factors, y, n); // L y = P b
  backwardUpper(factors, y, n); // U z = y
  const q = factors.symbolic.columnOrder;
  for (let k = 0; k < n; k++) out[q[k]] = y[k];
  return out;
}

/**
 * Solve Aᵀ·x = b with the same factors (Aᵀ = Q·Uᵀ·Lᵀ·P), e.g. for sensitivities and adjoints.
 * Same aliasing and allocation rules as `solveSparseLu`.
 */
export function solveTransposedSparseLu(
  factors: SparseLuFactors,
  b: ArrayLike<number>,
  x?: Float64Array,
): Float64Array {
  const { n, out, y } = prepareSolve(factors, b, x);
  const q = factors.symbolic.columnOrder;
  for (let k = 0; k < n; k++) y[k] = b[q[k]];
  forwardUpperTransposed(factors, y, n); // Uᵀ z = Qᵀ b
  backwardUnitLowerTransposed(factors, y, n); // Lᵀ w = z
  for (let k = 0; k < n; k++) out[factors.rowOfStep[k]] = y[k];
  return out;
}
