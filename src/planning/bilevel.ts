// Single-level MILP of the bilevel plan: the lower LP replaced by primal feasibility, dual feasibility and strong
// duality, with the products of binaries and continuous variables linearised by big-Ms from the data bounds.
import { ProblemBuilder, solveOptimisation } from '../numeric/optimisation/index.ts';
import type { LowerLevel } from './lower-level.ts';
import type { PlanningInstance } from './prepare-study.ts';
import { CHARGE_TYPES, type ChargeType } from './study-schema.ts';
import type { UpperDecision } from './upper-decision.ts';

export interface BilevelResult {
  readonly status: 'optimal' | 'infeasible' | 'not_converged' | 'error';
  readonly decision?: UpperDecision;
  readonly objectiveEur: number;
  /** Lower-level primal solution (columns of lower.problem). */
  readonly x: Float64Array;
  readonly mipGapPct: number;
  /** Duals that sit at their big-M cap (should be 0; otherwise the caps were too tight). */
  readonly dualsAtCap: number;
  readonly size: { columns: number; rows: number; binaries: number };
}

const INF = Number.POSITIVE_INFINITY;
const isFiniteBound = (v: number) => Math.abs(v) < 1e20;

/** Add w = z·y for binary z and 0 ≤ y ≤ bigM: w ≤ M z, w ≤ y, w ≥ y − M(1 − z). Returns w. */
function addBinaryProduct(b: ProblemBuilder, z: number, y: number, bigM: number, name: string): number {
  const w = b.addColumn(0, bigM, 0, name);
  b.addRow(-INF, 0, [w, z], [1, -bigM]);
  b.addRow(-INF, 0, [w, y], [1, -1]);
  b.addRow(-bigM, INF, [w, y, z], [1, -1, -bigM]);
  return w;
}

/** Build and solve the single-level MILP (formulation in src/planning/README.md). */
export async function planByBilevel(
  instance: PlanningInstance,
  lower: LowerLevel,
  options: { timeLimitS?: number; mipRelativeGap?: number } = {},
): Promise<BilevelResult> {
  const { study } = instance;
  const lp = lower.problem;
  const b = new ProblemBuilder();
  const candidateCount = study.candidates.length;
  const u = study.candidates.map((c) => b.addColumn(0, 1, 0, `build_${c.id}`, true));
  const z = {} as Record<ChargeType, number[]>;
  for (const t of CHARGE_TYPES) {
    z[t] = study.charges[t].map((_, l) => b.addColumn(0, 1, 0, `${t}_${l}`, true));
    b.addRow(
      1,
      1,
      z[t],
      z[t].map(() => 1),
    );
  }
  // Parametric bounds grouped by column: bound(u) = base + Σ δ_j u_j.
  const paramUpper = new Map<number, { upgrade: number; delta: number; cap: number }[]>();
  const paramLower = new Map<number, { upgrade: number; delta: number; cap: number }[]>();
  for (const p of lower.parametricBounds) {
    const map = p.kind === 'colUpper' ? paramUpper : paramLower;
    if (!map.has(p.column)) map.set(p.column, []);
    map.get(p.column)!.push({ upgrade: p.upgrade, delta: p.deltaPerBuild, cap: p.dualBound });
  }
  // Primal: y within the envelope of its bounds, the parametric ones enforced as rows.
  const y = Array.from({ length: lp.numCols }, (_, j) => {
    const lo = lp.colLower[j] + (paramLower.get(j) ?? []).reduce((s, p) => s + Math.min(p.delta, 0), 0);
    const hi = lp.colUpper[j] + (paramUpper.get(j) ?? []).reduce((s, p) => s + Math.max(p.delta, 0), 0);
    return b.addColumn(lo, hi, lp.colCost[j]);
  });
  for (let r = 0; r < lp.numRows; r++) {
    const cols: number[] = [];
    const vals: number[] = [];
    for (let k = lp.rowStarts[r]; k < lp.rowStarts[r + 1]; k++) {
      cols.push(y[lp.rowColumns[k]]);
      vals.push(lp.rowValues[k]);
    }
    b.addRow(lp.rowLower[r], lp.rowUpper[r], cols, vals);
  }
  for (const [j, list] of paramUpper) {
    b.addRow(
      -INF,
      lp.colUpper[j],
      [y[j], ...list.map((p) => u[p.upgrade])],
      [1, ...list.map((p) => -p.delta)],
    );
  }
  for (const [j, list] of paramLower) {
    b.addRow(
      lp.colLower[j],
      INF,
      [y[j], ...list.map((p) => u[p.upgrade])],
      [1, ...list.map((p) => -p.delta)],
    );
  }
  // Dual variables: one free π per equality row, α ≥ 0 / β ≥ 0 per finite row or column lower / upper bound.
  const dualObjCols: number[] = [];
  const dualObjVals: number[] = [];
  const columnTerms: { cols: number[]; vals: number[] }[] = Array.from({ length: lp.numCols }, () => ({
    cols: [],
    vals: [],
  }));
  for (let r = 0; r < lp.numRows; r++) {
    const lo = lp.rowLower[r];
    const hi = lp.rowUpper[r];
    const duals: { col: number; sign: number }[] = [];
    if (lo === hi) {
      const pi = b.addColumn(-INF, INF, 0);
      duals.push({ col: pi, sign: 1 });
      dualObjCols.push(pi);
      dualObjVals.push(lo);
    } else {
      if (isFiniteBound(lo)) {
        const alpha = b.addColumn(0, INF, 0);
        duals.push({ col: alpha, sign: 1 });
        dualObjCols.push(alpha);
        dualObjVals.push(lo);
      }
      if (isFiniteBound(hi)) {
        const beta = b.addColumn(0, INF, 0);
        duals.push({ col: beta, sign: -1 });
        dualObjCols.push(beta);
        dualObjVals.push(-hi);
      }
    }
    for (let k = lp.rowStarts[r]; k < lp.rowStarts[r + 1]; k++) {
      for (const d of duals) {
        columnTerms[lp.rowColumns[k]].cols.push(d.col);
        columnTerms[lp.rowColumns[k]].vals.push(d.sign * lp.rowValues[k]);
      }
    }
  }
  const cappedDuals: { col: number; cap: number; upgrades: number[] }[] = [];
  let productIndex = 0;
  const addBoundDual = (
    j: number,
    base: number,
    sign: 1 | -1,
    params: { upgrade: number; delta: number; cap: number }[],
  ) => {
    const cap = params.length > 0 ? Math.max(...params.map((p) => p.cap)) : INF;
    const dual = b.addColumn(0, cap, 0);
    if (params.length > 0) cappedDuals.push({ col: dual, cap, upgrades: params.map((p) => p.upgrade) });
    columnTerms[j].cols.push(dual);
    columnTerms[j].vals.push(sign);
    dualObjCols.push(dual);
    dualObjVals.push(sign * base);
    for (const p of params) {
      const q = addBinaryProduct(b, u[p.upgrade], dual, cap, `q${productIndex++}`);
      dualObjCols.push(q);
      dualObjVals.push(sign * p.delta);
    }
  };
  for (let j = 0; j < lp.numCols; j++) {
    if (isFiniteBound(lp.colLower[j])) addBoundDual(j, lp.colLower[j], 1, paramLower.get(j) ?? []);
    if (isFiniteBound(lp.colUpper[j])) addBoundDual(j, lp.colUpper[j], -1, paramUpper.get(j) ?? []);
  }
  // Dual feasibility: Aᵀλ + bound duals = c0 + (charge level at the aggregate columns).
  const chargeOfColumn = new Map(CHARGE_TYPES.map((t) => [lower.chargeColumns[t], t]));
  for (let j = 0; j < lp.numCols; j++) {
    const t = chargeOfColumn.get(j);
    const levelCols = t ? z[t] : [];
    const levelVals = t ? study.charges[t].map((v) => -v) : [];
    b.addRow(
      lp.colCost[j],
      lp.colCost[j],
      [...columnTerms[j].cols, ...levelCols],
      [...columnTerms[j].vals, ...levelVals],
    );
  }
  // Charge payments Σ level·(z·aggregate) with the aggregate's upper bound as big-M.
  const paymentCols: number[] = [];
  const paymentVals: number[] = [];
  for (const t of CHARGE_TYPES) {
    const column = lower.chargeColumns[t];
    study.charges[t].forEach((level, l) => {
      if (level === 0) return;
      paymentCols.push(addBinaryProduct(b, z[t][l], y[column], lp.colUpper[column], `w_${t}_${l}`));
      paymentVals.push(level);
    });
  }
  // Strong duality: c0ᵀy + payments − dual objective ≤ 0 (≥ holds by weak duality).
  const pricedColumns = [...lp.colCost.keys()].filter((j) => lp.colCost[j] !== 0);
  const primalCols = pricedColumns.map((j) => y[j]);
  const primalVals = pricedColumns.map((j) => lp.colCost[j]);
  b.addRow(
    -INF,
    0,
    [...primalCols, ...paymentCols, ...dualObjCols],
    [...primalVals, ...paymentVals, ...dualObjVals.map((v) => -v)],
    'strong_duality',
  );
  // Cost recovery: payments ≥ existing network cost + annualised capex of what is built.
  b.addRow(
    study.existingNetworkCostEurPerYear,
    INF,
    [...paymentCols, ...u],
    [...paymentVals, ...instance.candidateAnnualisedCapexEur.map((c) => -c)],
    'cost_recovery',
  );
  u.forEach((col, j) => {
    b.addLinearCost(col, instance.candidateAnnualisedCapexEur[j]);
  });
  const problem = b.build();
  const size = {
    columns: problem.numCols,
    rows: problem.numRows,
    binaries: u.length + CHARGE_TYPES.reduce((s, t) => s + z[t].length, 0),
  };
  const result = await solveOptimisation(problem, {
    mipRelativeGap: options.mipRelativeGap ?? 1e-9,
    timeLimitS: options.timeLimitS,
  });
  if (result.status !== 'optimal') {
    const status =
      result.status === 'infeasible'
        ? 'infeasible'
        : result.status === 'not_converged'
          ? 'not_converged'
          : 'error';
    return {
      status,
      objectiveEur: Number.NaN,
      x: new Float64Array(0),
      mipGapPct: Number.NaN,
      dualsAtCap: 0,
      size,
    };
  }
  const decision: UpperDecision = {
    isBuilt: Array.from({ length: candidateCount }, (_, j) => result.x[u[j]] > 0.5),
    chargeLevel: Object.fromEntries(
      CHARGE_TYPES.map((t) => [t, z[t].findIndex((col) => result.x[col] > 0.5)]),
    ) as Record<ChargeType, number>,
  };
  return {
    status: 'optimal',
    decision,
    objectiveEur: result.objective,
    x: Float64Array.from(y, (col) => result.x[col]),
    mipGapPct: 0,
    // A bound of an upgrade not built has y at the bound and a dual that costs nothing: only built ones count.
    dualsAtCap: cappedDuals.filter(
      (d) => d.upgrades.some((j) => decision.isBuilt[j]) && result.x[d.col] >= 0.999 * d.cap,
    ).length,
    size,
  };
}
