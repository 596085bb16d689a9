// The whole-system dispatch of one DSO area: every member's flexibility on every feeder in one problem per interval.
//
// Per platform interval t (the flexibility model has no coupling over time) and feeder j standing for R_j replicas,
// with members l of feeder j (issue 6's quadratic flexibility, calibrated as in dso-pricing and negotiation:
// flexible demand e ∈ [0, Ē] around its expected ê with slope γ, PV curtailment u ∈ [0, PV] with slope κ, all at
// the flat tariff of the TSO's price, so at adder 0 every member does what it expected):
//
//   maximise   Σ_j R_j Σ_l [ −½γ_l (e_l − ê_l)² − p^exp_t·u_l − ½κ_l u_l² ]
//   subject to lo_j,t ≤ x_j = Σ_l (n̂_l + e_l + u_l) ≤ hi_j,t                       (LV: feeder position range)
//              lower_m,t ≤ Σ_j a_m,j·R_j·x_j ≤ upper_m,t                          (shared rows, e.g. MV LinDistFlow)
//
// Without shared rows the problem separates per feeder and its optimum is x_j = clip(X_j(0), lo_j, hi_j) with
// X_j(ν) the members' net position at price adder ν (decreasing in ν); with rows it is solved as one sparse convex
// QP over all members (numeric/qp). The price adder of feeder j is the smallest |ν| at which its members take x_j
// on their own (KKT: the multiplier of its binding rows), capped at ±PRICE_CAP.
import { ProblemBuilder } from '../../numeric/optimisation/problem.ts';
import { solveQp } from '../../numeric/qp/index.ts';
import { type NegotiationPlatformData, platformNetPositionKw } from '../negotiation/platform-agent.ts';

/** One feeder of the dispatch: its members (platform step), replicas and LV position range per interval. */
export interface DispatchFeeder {
  readonly replicas: number;
  readonly data: NegotiationPlatformData;
  /** Net position range (kW per replica, positive importing) per platform interval. */
  readonly loKw: ArrayLike<number>;
  readonly hiKw: ArrayLike<number>;
}

/** A linear row over the feeders' total positions: lower_t ≤ Σ_j coefficients_j·R_j·x_j,t ≤ upper_t (kW). */
export interface SharedPositionRow {
  readonly coefficients: ArrayLike<number>;
  readonly lowerKw: ArrayLike<number>;
  readonly upperKw: ArrayLike<number>;
}

export interface WholeSystemDispatch {
  /** Optimal net position x_j,t (kW per replica) and its price adder ν_j,t (EUR/MWh). */
  readonly positionKw: Float64Array[];
  readonly adderEurPerMwh: Float64Array[];
  /** Intervals whose QP did not end optimal (the clipped point is kept there). */
  readonly failedIntervals: number;
}

/** Largest price adder (EUR/MWh) sent; as the negotiation's λ̄. */
export const PRICE_CAP_EUR_PER_MWH = 500;
const BISECTION_STEPS = 50;
const POSITION_TOLERANCE_KW = 1e-6;

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The whole-system optimum of every interval (module comment). */
export function solveWholeSystemDispatch(
  feeders: readonly DispatchFeeder[],
  rows: readonly SharedPositionRow[] = [],
): WholeSystemDispatch {
  const n = feeders[0]?.data.index.length ?? 0;
  const positionKw = feeders.map(() => new Float64Array(n));
  const adderEurPerMwh = feeders.map(() => new Float64Array(n));
  let failedIntervals = 0;
  for (let t = 0; t < n; t++) {
    const free = feeders.map((f) => platformNetPositionKw(f.data, t, 0));
    let x = feeders.map((f, j) => clip(free[j], f.loKw[t], Math.max(f.loKw[t], f.hiKw[t])));
    if (rows.some((r) => rowBreaks(r, feeders, x, t))) {
      const solved = solveIntervalQp(feeders, rows, t);
      if (solved) x = solved;
      else failedIntervals++;
    }
    feeders.forEach((f, j) => {
      positionKw[j][t] = x[j];
      adderEurPerMwh[j][t] = adderFor(f.data, t, x[j], free[j]);
    });
  }
  return { positionKw, adderEurPerMwh, failedIntervals };
}

function rowBreaks(
  row: SharedPositionRow,
  feeders: readonly DispatchFeeder[],
  x: readonly number[],
  t: number,
): boolean {
  let total = 0;
  feeders.forEach((f, j) => {
    total += row.coefficients[j] * f.replicas * x[j];
  });
  return total > row.upperKw[t] + POSITION_TOLERANCE_KW || total < row.lowerKw[t] - POSITION_TOLERANCE_KW;
}

/** The smallest |ν| with X(ν) = x (X decreasing), 0 when x is the free position, capped at ±PRICE_CAP. */
function adderFor(data: NegotiationPlatformData, t: number, x: number, free: number): number {
  if (Math.abs(x - free) <= POSITION_TOLERANCE_KW) return 0;
  const sign = x < free ? 1 : -1;
  let lo = 0;
  let hi = PRICE_CAP_EUR_PER_MWH;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = 0.5 * (lo + hi);
    const reached =
      sign > 0 ? platformNetPositionKw(data, t, mid) <= x : platformNetPositionKw(data, t, -mid) >= x;
    if (reached) hi = mid;
    else lo = mid;
  }
  return sign * hi;
}

/** The member-level QP of interval t (module comment) and each feeder's columns; maximisation. */
export function buildIntervalQp(
  feeders: readonly DispatchFeeder[],
  rows: readonly SharedPositionRow[],
  t: number,
) {
  const b = new ProblemBuilder().setSense('maximize');
  const columns: number[][] = [];
  const baseKw: number[] = [];
  for (const f of feeders) {
    const own: number[] = [];
    let base = 0;
    for (const m of f.data.members) {
      base += m.baseNetKw[t];
      const expected = m.flexibleExpectedKw[t];
      const e = b.addColumn(0, Math.max(0, m.flexibleMaxKw[t]), f.replicas * m.demandSlope * expected);
      b.addQuadraticCost(e, e, -f.replicas * m.demandSlope);
      b.addOffset(-0.5 * f.replicas * m.demandSlope * expected * expected);
      const u = b.addColumn(0, Math.max(0, m.pvKw[t]), -f.replicas * f.data.flatExportEurPerMwh[t]);
      b.addQuadraticCost(u, u, -f.replicas * m.curtailSlope);
      own.push(e, u);
    }
    b.addRow(
      f.loKw[t] - base,
      Math.max(f.loKw[t], f.hiKw[t]) - base,
      own,
      own.map(() => 1),
    );
    columns.push(own);
    baseKw.push(base);
  }
  for (const row of rows) {
    // A row limits only some intervals (±∞ bounds elsewhere).
    if (!Number.isFinite(row.lowerKw[t]) && !Number.isFinite(row.upperKw[t])) continue;
    let fixed = 0;
    const cols: number[] = [];
    const values: number[] = [];
    feeders.forEach((f, j) => {
      const a = row.coefficients[j] * f.replicas;
      fixed += a * baseKw[j];
      for (const c of columns[j]) {
        cols.push(c);
        values.push(a);
      }
    });
    b.addRow(row.lowerKw[t] - fixed, row.upperKw[t] - fixed, cols, values);
  }
  return { problem: b.build(), columns, baseKw };
}

/** Positions x_j of interval t from the member-level QP, or undefined when it does not end optimal. */
function solveIntervalQp(
  feeders: readonly DispatchFeeder[],
  rows: readonly SharedPositionRow[],
  t: number,
): number[] | undefined {
  const { problem, columns, baseKw } = buildIntervalQp(feeders, rows, t);
  const result = solveQp(problem);
  if (result.status !== 'optimal') return undefined;
  return columns.map((cols, j) => cols.reduce((a, c) => a + result.x[c], baseKw[j]));
}

/**
 * How far each feeder may move from the dispatch x* (kW per replica, up and down per interval) with every shared
 * row still holding whatever the others do within theirs: a row's slack s_t = upper_t − Σ_j c_j·R_j·x*_j (and
 * Σ − lower_t) is split equally over the K feeders it moves, feeder j getting s_t / (K·|c_j|·R_j) in the direction
 * that uses it up. Without rows every move is free (+∞).
 */
export function rowHeadroomKw(
  feeders: readonly DispatchFeeder[],
  rows: readonly SharedPositionRow[],
  positionKw: readonly Float64Array[],
): { upKw: Float64Array[]; downKw: Float64Array[] } {
  const n = positionKw[0]?.length ?? 0;
  const upKw = feeders.map(() => new Float64Array(n).fill(Number.POSITIVE_INFINITY));
  const downKw = feeders.map(() => new Float64Array(n).fill(Number.POSITIVE_INFINITY));
  for (const row of rows) {
    const moved = feeders.flatMap((_, j) => (row.coefficients[j] !== 0 ? [j] : []));
    if (moved.length === 0) continue;
    for (let t = 0; t < n; t++) {
      let value = 0;
      for (const j of moved) value += row.coefficients[j] * feeders[j].replicas * positionKw[j][t];
      const above = Math.max(0, row.upperKw[t] - value) / moved.length;
      const below = Math.max(0, value - row.lowerKw[t]) / moved.length;
      for (const j of moved) {
        const perKw = Math.abs(row.coefficients[j]) * feeders[j].replicas;
        // Raising x_j raises the row when c_j > 0: it uses the slack above; lowering it, the slack below.
        const [raise, lower] = row.coefficients[j] > 0 ? [above, below] : [below, above];
        upKw[j][t] = Math.min(upKw[j][t], raise / perKw);
        downKw[j][t] = Math.min(downKw[j][t], lower / perKw);
      }
    }
  }
  return { upKw, downKw };
}
