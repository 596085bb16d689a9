// Test helpers: an independent KKT / duality-gap check of a QP solution and a seeded random sparse QP.
import type { OptimisationProblem } from '../optimisation/problem.ts';
import { ProblemBuilder } from '../optimisation/problem.ts';
import { uniformGenerator } from '../random.ts';

const INF = Number.POSITIVE_INFINITY;

export interface KktReport {
  readonly primalViolation: number;
  readonly stationarity: number;
  /** Largest |multiplier · slack of the bound it belongs to|. */
  readonly complementarity: number;
  /** |primal objective − dual objective| / (1 + |primal|): zero certifies optimality for a convex QP. */
  readonly relativeGap: number;
  readonly objective: number;
}

/**
 * Checks a minimisation's solution from the problem data alone: bounds, stationarity c + Qx − Aᵀy − z = 0,
 * complementarity of each multiplier with the bound its sign points at, and the Lagrangian dual objective
 * offset − ½xᵀQx + Σ y_i·b_i + Σ z_j·l_j (b, l the bound the multiplier's sign points at).
 */
export function checkKkt(
  problem: OptimisationProblem,
  x: Float64Array,
  rowDual: Float64Array,
  colDual: Float64Array,
): KktReport {
  const { numCols, numRows } = problem;
  const gradient = Float64Array.from(problem.colCost);
  const qx = new Float64Array(numCols);
  const h = problem.hessian;
  if (h) {
    for (let c = 0; c < numCols; c++) {
      for (let p = h.starts[c]; p < h.starts[c + 1]; p++) {
        const r = h.indices[p];
        qx[c] += h.values[p] * x[r];
        if (r !== c) qx[r] += h.values[p] * x[c];
      }
    }
  }
  let primalViolation = 0;
  let complementarity = 0;
  let quadratic = 0;
  let linear = problem.offset;
  for (let j = 0; j < numCols; j++) {
    gradient[j] += qx[j];
    quadratic += 0.5 * x[j] * qx[j];
    linear += problem.colCost[j] * x[j];
  }
  let dual = problem.offset;
  const account = (value: number, lower: number, upper: number, multiplier: number) => {
    primalViolation = Math.max(primalViolation, lower - value, value - upper);
    // A positive multiplier belongs to the lower bound (z·(value − lower) = 0), a negative one to the upper;
    // one pointing at an infinite bound counts with its size.
    if (multiplier > 0) {
      const slack = Number.isFinite(lower) ? value - lower : 1;
      complementarity = Math.max(complementarity, multiplier * Math.abs(slack));
      dual += multiplier * (Number.isFinite(lower) ? lower : value);
    } else if (multiplier < 0) {
      const slack = Number.isFinite(upper) ? upper - value : 1;
      complementarity = Math.max(complementarity, -multiplier * Math.abs(slack));
      dual += multiplier * (Number.isFinite(upper) ? upper : value);
    }
  };
  for (let i = 0; i < numRows; i++) {
    let activity = 0;
    for (let p = problem.rowStarts[i]; p < problem.rowStarts[i + 1]; p++) {
      activity += problem.rowValues[p] * x[problem.rowColumns[p]];
      gradient[problem.rowColumns[p]] -= problem.rowValues[p] * rowDual[i];
    }
    account(activity, problem.rowLower[i], problem.rowUpper[i], rowDual[i]);
  }
  let stationarity = 0;
  for (let j = 0; j < numCols; j++) {
    stationarity = Math.max(stationarity, Math.abs(gradient[j] - colDual[j]));
    account(x[j], problem.colLower[j], problem.colUpper[j], colDual[j]);
  }
  const objective = quadratic + linear;
  dual -= quadratic;
  return {
    primalViolation,
    stationarity,
    complementarity,
    relativeGap: Math.abs(objective - dual) / (1 + Math.abs(objective)),
    objective,
  };
}

/**
 * A feasible, bounded random sparse QP: Q = BᵀB (B sparse, `rankDeficit` fewer rows than columns, so Q may be
 * singular) plus 0.1 on columns without two finite bounds; rows of every kind (equality, ranged, one-sided)
 * built around a point x₀ inside the column bounds.
 */
export function randomSparseQp(
  seed: number,
  n: number,
  m: number,
  options: { rankDeficit?: number; ridge?: number } = {},
): OptimisationProblem {
  const random = uniformGenerator(seed);
  const b = new ProblemBuilder();
  const x0: number[] = [];
  const unbounded: boolean[] = [];
  for (let j = 0; j < n; j++) {
    const kind = random();
    const centre = 10 * (random() - 0.5);
    const width = 1 + 5 * random();
    const lower = kind < 0.85 ? centre - width : -INF;
    const upper = kind < 0.7 ? centre + width : INF;
    b.addColumn(lower, upper, 4 * (random() - 0.5));
    x0.push(centre + (random() - 0.5) * width);
    unbounded.push(!(Number.isFinite(lower) && Number.isFinite(upper)));
  }
  const bRows = n - (options.rankDeficit ?? 0);
  const q = new Map<string, number>();
  for (let r = 0; r < bRows; r++) {
    const entries: [number, number][] = [];
    for (let t = 0; t < 3; t++) entries.push([Math.floor(random() * n), random() - 0.5]);
    for (const [i, vi] of entries) {
      for (const [j, vj] of entries) {
        if (j > i) continue;
        const key = `${i}:${j}`;
        q.set(key, (q.get(key) ?? 0) + vi * vj);
      }
    }
  }
  // Each row of B adds b_i·b_j to Q_ij; only j ≤ i is kept, as addQuadraticCost stores both triangles' entry once.
  for (const [key, v] of q) {
    const [i, j] = key.split(':').map(Number);
    b.addQuadraticCost(i, j, v);
  }
  for (let j = 0; j < n; j++) {
    const ridge = (options.ridge ?? 0) + (unbounded[j] ? 0.1 : 0);
    if (ridge > 0) b.addQuadraticCost(j, j, ridge);
  }
  for (let i = 0; i < m; i++) {
    const cols: number[] = [];
    const vals: number[] = [];
    let activity = 0;
    for (let t = 0; t < 4; t++) {
      const j = Math.floor(random() * n);
      const v = 2 * (random() - 0.5);
      cols.push(j);
      vals.push(v);
      activity += v * x0[j];
    }
    const kind = random();
    const slack = random();
    if (kind < 0.3) b.addRow(activity, activity, cols, vals);
    else if (kind < 0.6) b.addRow(activity - slack, activity + 0.5 * slack, cols, vals);
    else if (kind < 0.8) b.addRow(activity - slack, INF, cols, vals);
    else b.addRow(-INF, activity + slack, cols, vals);
  }
  return b.build();
}
