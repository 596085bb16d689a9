// The DSO's feasible set F of its feeders' positions: per-feeder boxes, linear rows (MV branches and voltages, the
// upstream agreement) and the weighted projection onto it (the ADMM z-update), plus the committed box inside F.
//
// Variables z_j,t (kW per replica of feeder j, DSO interval t). A row is Σ_(t,j) a_t,j·z_j,t ≤ b over the
// intervals it spans (an MV row spans one interval, an upstream row the DSO intervals of one TSO interval).
// Intervals linked by rows form blocks; the projection is solved per block (projection.ts, exact to 1e-9).

import { type HalfSpace, projectOntoBoxAndHalfSpaces } from './projection.ts';

export interface NegotiationRow {
  /** What the row limits (e.g. `mv:line 3-4:import`, `tso:hour 5`). */
  readonly label: string;
  /** DSO intervals the row spans; coefficients are row-major: a per feeder for intervals[0], then intervals[1]… */
  readonly intervals: readonly number[];
  readonly coefficients: ArrayLike<number>;
  readonly upper: number;
}

export interface FeasibleSet {
  readonly intervals: number;
  /** Feeder replicas R_j (the shared import limit counts Σ_j R_j·z_j). */
  readonly replicas: readonly number[];
  readonly sharedImportLimitKw?: Float64Array;
  readonly rows: readonly NegotiationRow[];
}

/** The rows of F: the shared import limit (one per interval) and the given rows. */
function allRows(set: FeasibleSet): NegotiationRow[] {
  const out = [...set.rows];
  const cap = set.sharedImportLimitKw;
  if (cap)
    for (let t = 0; t < set.intervals; t++)
      if (Number.isFinite(cap[t]))
        out.push({ label: `shared:${t}`, intervals: [t], coefficients: set.replicas, upper: cap[t] });
  return out;
}

/** Groups of intervals linked by rows (each interval in exactly one group), with the rows of each group. */
function blocksOf(set: FeasibleSet, rows: readonly NegotiationRow[]) {
  const parent = Array.from({ length: set.intervals }, (_, t) => t);
  const find = (t: number): number => (parent[t] === t ? t : (parent[t] = find(parent[t])));
  for (const r of rows) for (const t of r.intervals) parent[find(t)] = find(r.intervals[0]);
  const groups = new Map<number, { intervals: number[]; rows: NegotiationRow[] }>();
  for (let t = 0; t < set.intervals; t++) {
    const g = groups.get(find(t)) ?? { intervals: [], rows: [] };
    g.intervals.push(t);
    groups.set(find(t), g);
  }
  for (const r of rows) groups.get(find(r.intervals[0]))!.rows.push(r);
  return [...groups.values()];
}

/**
 * z = argmin Σ_j,t w_j/2·(z_j,t − v_j,t)² over F ∩ [low, high] (per feeder j: v, low, high per interval).
 * Returns z per feeder.
 */
export function projectPositions(
  set: FeasibleSet,
  weights: readonly number[],
  v: readonly Float64Array[],
  low: readonly Float64Array[],
  high: readonly Float64Array[],
): Float64Array[] {
  const feeders = weights.length;
  const z = v.map((x) => new Float64Array(x.length));
  for (const block of blocksOf(set, allRows(set))) {
    const at = new Map(block.intervals.map((t, p) => [t, p]));
    const size = block.intervals.length * feeders;
    const flat = (f: (j: number, t: number) => number) =>
      Float64Array.from({ length: size }, (_, k) => f(k % feeders, block.intervals[Math.floor(k / feeders)]));
    const halfSpaces: HalfSpace[] = block.rows.map((r) => {
      const a = new Float64Array(size);
      r.intervals.forEach((t, p) => {
        for (let j = 0; j < feeders; j++) a[at.get(t)! * feeders + j] += r.coefficients[p * feeders + j];
      });
      return { coefficients: a, upper: r.upper };
    });
    const p = projectOntoBoxAndHalfSpaces(
      flat((j, t) => v[j][t]),
      flat((j) => weights[j]),
      flat((j, t) => low[j][t]),
      flat((j, t) => high[j][t]),
      halfSpaces,
    );
    for (let k = 0; k < size; k++) z[k % feeders][block.intervals[Math.floor(k / feeders)]] = p.z[k];
  }
  return z;
}

/**
 * The committed box: [z − θ·(z − low), z + θ·(high − z)] per feeder and interval with θ ∈ [0, 1] as large as every
 * row allows at its worst corner (θ_r = slack / spread of row r; each variable takes the least θ_r of its rows), so
 * every position inside the boxes keeps F's rows. Without rows it is [low, high].
 */
export function committedBox(
  set: FeasibleSet,
  z: readonly Float64Array[],
  low: readonly Float64Array[],
  high: readonly Float64Array[],
): { low: Float64Array[]; high: Float64Array[] } {
  const feeders = z.length;
  const theta = z.map((x) => new Float64Array(x.length).fill(1));
  for (const r of allRows(set)) {
    let value = 0;
    let spread = 0;
    r.intervals.forEach((t, p) => {
      for (let j = 0; j < feeders; j++) {
        const a = r.coefficients[p * feeders + j];
        value += a * z[j][t];
        spread += Math.max(a * (high[j][t] - z[j][t]), a * (low[j][t] - z[j][t]));
      }
    });
    const share = spread > 0 ? Math.min(1, Math.max(0, (r.upper - value) / spread)) : 1;
    r.intervals.forEach((t, p) => {
      for (let j = 0; j < feeders; j++)
        if (r.coefficients[p * feeders + j] !== 0) theta[j][t] = Math.min(theta[j][t], share);
    });
  }
  return {
    low: z.map((x, j) => Float64Array.from(x, (v, t) => v - theta[j][t] * (v - low[j][t]))),
    high: z.map((x, j) => Float64Array.from(x, (v, t) => v + theta[j][t] * (high[j][t] - v))),
  };
}
