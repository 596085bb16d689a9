// Piecewise-linear stand-in for a separable convex QP, used when HiGHS' QP solver stops without an optimum.
import type { OptimisationProblem } from './problem.ts';

/** Segments per quadratic term: the objective error of ½q·x² on [lo, hi] is at most q·(hi − lo)²/(8·segments²). */
export const QP_FALLBACK_SEGMENTS = 40;
/** Largest LP the fallback builds (columns added); beyond it the QP's own status is returned. */
const MAX_ADDED_COLUMNS = 2_000_000;

/**
 * The LP that replaces every diagonal term ½·q_j·x_j² (q_j > 0, finite bounds) by `segments` segment columns
 * s_jk ∈ [0, w_j], w_j = (hi − lo)/segments, priced at the marginal cost at their midpoint, q_j·(lo + (k + ½)·w_j),
 * with one linking row x_j − Σ_k s_jk = lo appended after the original rows. Because the marginal cost rises,
 * the LP fills the segments in order, so x_j and the original rows' duals approximate the QP's. Columns and rows
 * of the original problem keep their indices. Returns undefined unless the problem is a minimisation whose Q is
 * diagonal and positive on columns with finite bounds, and the LP stays within MAX_ADDED_COLUMNS.
 */
export function buildPiecewiseLinearStandIn(
  problem: OptimisationProblem,
  segments = QP_FALLBACK_SEGMENTS,
): OptimisationProblem | undefined {
  const hessian = problem.hessian;
  if (!hessian || problem.integrality || problem.sense !== 'minimize') return undefined;
  const quadratic: { col: number; q: number }[] = [];
  for (let j = 0; j < problem.numCols; j++) {
    for (let p = hessian.starts[j]; p < hessian.starts[j + 1]; p++) {
      if (hessian.indices[p] !== j) return undefined;
      const q = hessian.values[p];
      if (q === 0) continue;
      const isBounded = problem.colLower[j] > -1e20 && problem.colUpper[j] < 1e20;
      if (!(q > 0) || !isBounded) return undefined;
      quadratic.push({ col: j, q });
    }
  }
  if (quadratic.length * segments > MAX_ADDED_COLUMNS) return undefined;
  const addedCols = quadratic.length * segments;
  const numCols = problem.numCols + addedCols;
  const numRows = problem.numRows + quadratic.length;
  const colCost = new Float64Array(numCols);
  colCost.set(problem.colCost);
  const colLower = new Float64Array(numCols);
  colLower.set(problem.colLower);
  const colUpper = new Float64Array(numCols);
  colUpper.set(problem.colUpper);
  const rowLower = new Float64Array(numRows);
  rowLower.set(problem.rowLower);
  const rowUpper = new Float64Array(numRows);
  rowUpper.set(problem.rowUpper);
  const nnz = problem.rowColumns.length + quadratic.length * (segments + 1);
  const rowStarts = new Int32Array(numRows + 1);
  rowStarts.set(problem.rowStarts);
  const rowColumns = new Int32Array(nnz);
  rowColumns.set(problem.rowColumns);
  const rowValues = new Float64Array(nnz);
  rowValues.set(problem.rowValues);
  let entry = problem.rowColumns.length;
  // The segments integrate the marginal cost from lo: Σ_k cost_k·s_k ≈ ½q·(x² − lo²), so ½q·lo² joins the offset.
  let offset = problem.offset;
  quadratic.forEach(({ col, q }, t) => {
    const lo = problem.colLower[col];
    offset += 0.5 * q * lo * lo;
    const width = (problem.colUpper[col] - lo) / segments;
    const row = problem.numRows + t;
    rowLower[row] = lo;
    rowUpper[row] = lo;
    rowColumns[entry] = col;
    rowValues[entry++] = 1;
    for (let k = 0; k < segments; k++) {
      const segment = problem.numCols + t * segments + k;
      colUpper[segment] = width;
      colCost[segment] = q * (lo + (k + 0.5) * width);
      rowColumns[entry] = segment;
      rowValues[entry++] = -1;
    }
    rowStarts[row + 1] = entry;
  });
  return {
    sense: problem.sense,
    numCols,
    numRows,
    offset,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    rowStarts,
    rowColumns,
    rowValues,
  };
}
