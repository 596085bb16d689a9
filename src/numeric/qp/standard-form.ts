// QP presolve/postsolve: fixed columns and free rows removed, objective scaled and made a minimisation.

import type { OptimisationProblem } from '../optimisation/problem.ts';
import { type CscMatrix, cscFromTriplets } from '../sparse/index.ts';

/** Values at or beyond ±1e20 are infinite, as in HiGHS and the solver port. */
export const INFINITE_BOUND = 1e20;
export const isFiniteBound = (v: number): boolean => v > -INFINITE_BOUND && v < INFINITE_BOUND;

/**
 * The reduced problem the interior point method works on:
 *   min ½ xᵀQx + cᵀx   s.t.  rowLower ≤ A x ≤ rowUpper,  colLower ≤ x ≤ colUpper,
 * with every column free to move (colLower < colUpper) and every row bounded on at least one side.
 * The objective is the original one (negated for a maximisation) times `objectiveScale`.
 */
export interface ReducedQp {
  readonly n: number;
  readonly m: number;
  /** Original column of reduced column j; original row of reduced row i. */
  readonly colOf: Int32Array;
  readonly rowOf: Int32Array;
  readonly cost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** A (m × n) by columns. */
  readonly a: CscMatrix;
  /** Q (n × n) with both triangles stored. */
  readonly q: CscMatrix;
  /** Ruiz equilibration: original x = colScale·x̃, original row i = row i of the reduced A / rowScale[i]. */
  readonly colScale: Float64Array;
  readonly rowScale: Float64Array;
  readonly objectiveScale: number;
}

const RUIZ_PASSES = 10;

/**
 * Ruiz equilibration of the KKT matrix [Q Aᵀ; A 0] in place (Ruiz 2001, as in OSQP, Stellato et al. 2020 §5.1):
 * each pass divides every row and column by the square root of its largest entry, so all end near 1.
 */
function equilibrate(a: CscMatrix, q: CscMatrix): { colScale: Float64Array; rowScale: Float64Array } {
  const n = a.numCols;
  const m = a.numRows;
  const colScale = new Float64Array(n).fill(1);
  const rowScale = new Float64Array(m).fill(1);
  const colNorm = new Float64Array(n);
  const rowNorm = new Float64Array(m);
  for (let pass = 0; pass < RUIZ_PASSES; pass++) {
    colNorm.fill(0);
    rowNorm.fill(0);
    for (let j = 0; j < n; j++) {
      for (let p = q.colStarts[j]; p < q.colStarts[j + 1]; p++)
        colNorm[j] = Math.max(colNorm[j], Math.abs(q.values[p]));
      for (let p = a.colStarts[j]; p < a.colStarts[j + 1]; p++) {
        const v = Math.abs(a.values[p]);
        colNorm[j] = Math.max(colNorm[j], v);
        rowNorm[a.rowIndices[p]] = Math.max(rowNorm[a.rowIndices[p]], v);
      }
    }
    const cf = Float64Array.from(colNorm, (v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
    const rf = Float64Array.from(rowNorm, (v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
    for (let j = 0; j < n; j++) {
      colScale[j] *= cf[j];
      for (let p = q.colStarts[j]; p < q.colStarts[j + 1]; p++) q.values[p] *= cf[j] * cf[q.rowIndices[p]];
      for (let p = a.colStarts[j]; p < a.colStarts[j + 1]; p++) a.values[p] *= cf[j] * rf[a.rowIndices[p]];
    }
    for (let i = 0; i < m; i++) rowScale[i] *= rf[i];
  }
  return { colScale, rowScale };
}

export type PresolveOutcome =
  | { readonly kind: 'reduced'; readonly qp: ReducedQp; readonly fixedValue: Float64Array }
  | { readonly kind: 'infeasible'; readonly reason: string };

/** Build the reduced problem; bound inconsistencies (lower > upper) are reported as infeasible. */
export function presolveQp(problem: OptimisationProblem): PresolveOutcome {
  const { numCols, numRows } = problem;
  const sign = problem.sense === 'maximize' ? -1 : 1;
  const fixedValue = new Float64Array(numCols);
  const reducedOf = new Int32Array(numCols).fill(-1);
  const colOf: number[] = [];
  for (let j = 0; j < numCols; j++) {
    const lo = problem.colLower[j];
    const hi = problem.colUpper[j];
    if (lo > hi)
      return { kind: 'infeasible', reason: `column ${j} has lower bound ${lo} > upper bound ${hi}` };
    if (lo === hi) fixedValue[j] = lo;
    else {
      reducedOf[j] = colOf.length;
      colOf.push(j);
    }
  }
  const n = colOf.length;
  // Row shifts from fixed columns, and the reduced A as triplets.
  const shift = new Float64Array(numRows);
  const aRows: number[] = [];
  const aCols: number[] = [];
  const aVals: number[] = [];
  const rowOf: number[] = [];
  const reducedRow = new Int32Array(numRows).fill(-1);
  for (let i = 0; i < numRows; i++) {
    const lo = problem.rowLower[i];
    const hi = problem.rowUpper[i];
    if (lo > hi) return { kind: 'infeasible', reason: `row ${i} has lower bound ${lo} > upper bound ${hi}` };
    let hasFree = false;
    for (let p = problem.rowStarts[i]; p < problem.rowStarts[i + 1]; p++) {
      const j = problem.rowColumns[p];
      if (reducedOf[j] < 0) shift[i] += problem.rowValues[p] * fixedValue[j];
      else hasFree = true;
    }
    const isFree = !isFiniteBound(lo) && !isFiniteBound(hi);
    if (isFree) continue;
    if (!hasFree) {
      const tol = 1e-9 * (1 + Math.abs(shift[i]));
      if (shift[i] < lo - tol || shift[i] > hi + tol)
        return { kind: 'infeasible', reason: `row ${i} holds only fixed columns and violates its bounds` };
      continue;
    }
    reducedRow[i] = rowOf.length;
    rowOf.push(i);
  }
  const m = rowOf.length;
  for (let i = 0; i < numRows; i++) {
    const r = reducedRow[i];
    if (r < 0) continue;
    for (let p = problem.rowStarts[i]; p < problem.rowStarts[i + 1]; p++) {
      const j = reducedOf[problem.rowColumns[p]];
      if (j < 0) continue;
      aRows.push(r);
      aCols.push(j);
      aVals.push(problem.rowValues[p]);
    }
  }
  // Cost: c + Q_{free, fixed}·x_fixed; Q restricted to free columns, both triangles.
  const cost = new Float64Array(n);
  for (let j = 0; j < n; j++) cost[j] = sign * problem.colCost[colOf[j]];
  const qRows: number[] = [];
  const qCols: number[] = [];
  const qVals: number[] = [];
  const h = problem.hessian;
  if (h) {
    for (let c = 0; c < numCols; c++) {
      for (let p = h.starts[c]; p < h.starts[c + 1]; p++) {
        const r = h.indices[p];
        const v = sign * h.values[p];
        const rc = reducedOf[c];
        const rr = reducedOf[r];
        if (rc >= 0 && rr >= 0) {
          qRows.push(rr);
          qCols.push(rc);
          qVals.push(v);
          if (rr !== rc) {
            qRows.push(rc);
            qCols.push(rr);
            qVals.push(v);
          }
        } else if (rc >= 0) cost[rc] += v * fixedValue[r];
        else if (rr >= 0) cost[rr] += v * fixedValue[c];
      }
    }
  }
  const a = cscFromTriplets(m, n, Int32Array.from(aRows), Int32Array.from(aCols), aVals);
  const q = cscFromTriplets(n, n, Int32Array.from(qRows), Int32Array.from(qCols), qVals);
  const { colScale, rowScale } = equilibrate(a, q);
  const colLower = Float64Array.from(colOf, (j) => problem.colLower[j]);
  const colUpper = Float64Array.from(colOf, (j) => problem.colUpper[j]);
  const rowLower = Float64Array.from(rowOf, (i) => problem.rowLower[i] - shift[i]);
  const rowUpper = Float64Array.from(rowOf, (i) => problem.rowUpper[i] - shift[i]);
  // x = D·x̃, rows scaled by E: bounds of x̃ are l/D, row bounds E·b (infinite bounds stay infinite).
  for (let j = 0; j < n; j++) {
    cost[j] *= colScale[j];
    colLower[j] /= colScale[j];
    colUpper[j] /= colScale[j];
  }
  for (let i = 0; i < m; i++) {
    rowLower[i] *= rowScale[i];
    rowUpper[i] *= rowScale[i];
  }
  let largest = 0;
  for (const v of cost) largest = Math.max(largest, Math.abs(v));
  for (const v of q.values) largest = Math.max(largest, Math.abs(v));
  const objectiveScale = largest > 0 ? 1 / largest : 1;
  for (let j = 0; j < n; j++) cost[j] *= objectiveScale;
  for (let k = 0; k < q.values.length; k++) q.values[k] *= objectiveScale;
  const qp: ReducedQp = {
    n,
    m,
    colOf: Int32Array.from(colOf),
    rowOf: Int32Array.from(rowOf),
    cost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    a,
    q,
    colScale,
    rowScale,
    objectiveScale,
  };
  return { kind: 'reduced', qp, fixedValue };
}

/** Primal values in the original numbering, objective, row activities and duals from the original data. */
export function postsolveQp(
  problem: OptimisationProblem,
  qp: ReducedQp,
  fixedValue: Float64Array,
  x: Float64Array,
  y: Float64Array,
): {
  objective: number;
  x: Float64Array;
  rowActivity: Float64Array;
  rowDual: Float64Array;
  colDual: Float64Array;
} {
  const { numCols, numRows } = problem;
  const sign = problem.sense === 'maximize' ? -1 : 1;
  const full = Float64Array.from(fixedValue);
  for (let j = 0; j < qp.n; j++) full[qp.colOf[j]] = qp.colScale[j] * x[j];
  // rowDual = ∂objective/∂(active bound): the reduced multiplier brought back to the original objective.
  const rowDual = new Float64Array(numRows);
  for (let i = 0; i < qp.m; i++) rowDual[qp.rowOf[i]] = (sign * qp.rowScale[i] * y[i]) / qp.objectiveScale;
  const rowActivity = new Float64Array(numRows);
  const gradient = Float64Array.from(problem.colCost);
  for (let i = 0; i < numRows; i++) {
    for (let p = problem.rowStarts[i]; p < problem.rowStarts[i + 1]; p++) {
      const j = problem.rowColumns[p];
      rowActivity[i] += problem.rowValues[p] * full[j];
      gradient[j] -= problem.rowValues[p] * rowDual[i];
    }
  }
  let objective = problem.offset;
  for (let j = 0; j < numCols; j++) objective += problem.colCost[j] * full[j];
  const h = problem.hessian;
  if (h) {
    for (let c = 0; c < numCols; c++) {
      for (let p = h.starts[c]; p < h.starts[c + 1]; p++) {
        const r = h.indices[p];
        const v = h.values[p];
        objective += r === c ? 0.5 * v * full[c] * full[c] : v * full[r] * full[c];
        gradient[c] += v * full[r];
        if (r !== c) gradient[r] += v * full[c];
      }
    }
  }
  // colDual = reduced cost c + Qx − Aᵀ·rowDual (HiGHS' convention).
  return { objective, x: full, rowActivity, rowDual, colDual: gradient };
}
