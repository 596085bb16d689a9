// Branch and transformer loading of a plan ("after") and of the same charges with nothing built ("before").
//
// after:  peak over representative-day steps of |P| / rating of the plan's lower-level solution, with the rating
//         of built reinforcements / transformer upgrade included (≤ 100 % by the LP's thermal limits);
// before: the same lower level with no upgrade built and the thermal limits lifted (voltage limits kept), each
//         peak |P| over the rating without upgrades — what the network would have to carry (> 100 % where the plan
//         had to reinforce, or where shedding / batteries would otherwise be needed).
import { solveOptimisation } from '../numeric/optimisation/index.ts';
import type { LowerLevel } from './lower-level.ts';
import type { PlanningInstance } from './prepare-study.ts';
import { instantiateLowerLevel, type UpperDecision } from './upper-decision.ts';

export interface ElementLoading {
  /** `transformer` or the branch id; `bus` is the child bus id (the substation's bus for the transformer). */
  readonly id: string;
  readonly fromBus: string;
  readonly bus: string;
  readonly ratingBeforeKw: number;
  readonly ratingAfterKw: number;
  readonly peakBeforeKw: number;
  readonly peakAfterKw: number;
}

/** Peak |x| of one column over every day and step. */
function peakOf(x: Float64Array, columns: readonly (readonly number[])[]): number {
  let peak = 0;
  for (const day of columns) for (const c of day) peak = Math.max(peak, Math.abs(x[c]));
  return peak;
}

/** Loadings of the transformer and every branch, before and after the plan (module comment). */
export async function planLoadings(
  instance: PlanningInstance,
  lower: LowerLevel,
  decision: UpperDecision,
  x: Float64Array,
): Promise<ElementLoading[]> {
  const { study, net, tree, branchIds } = instance;
  const nothingBuilt = { ...decision, isBuilt: decision.isBuilt.map(() => false) };
  const problem = instantiateLowerLevel(lower, study, nothingBuilt);
  const colLower = Float64Array.from(problem.colLower);
  const colUpper = Float64Array.from(problem.colUpper);
  const flowColumns = [
    ...lower.columns.flowKw.flat().flatMap((f) => [...f]),
    ...lower.columns.substationKw.flat(),
  ];
  for (const c of flowColumns) {
    if (c < 0) continue;
    colLower[c] = Number.NEGATIVE_INFINITY;
    colUpper[c] = Number.POSITIVE_INFINITY;
  }
  const before = await solveOptimisation({ ...problem, colLower, colUpper });
  const xBefore = before.status === 'optimal' ? before.x : new Float64Array(x.length).fill(Number.NaN);
  const added = (kind: string, bus: number) =>
    study.candidates.reduce(
      (s, c, j) =>
        s +
        (decision.isBuilt[j] &&
        c.kind === kind &&
        (kind !== 'reinforce-branch' || instance.candidateBus[j] === bus)
          ? (c as { addedRatingKw: number }).addedRatingKw
          : 0),
      0,
    );
  const busIds = net.busIds.map(String);
  const root = tree.order[0];
  const rows: ElementLoading[] = [
    {
      id: 'transformer',
      fromBus: busIds[root],
      bus: busIds[root],
      ratingBeforeKw: study.network.transformerRatingKw,
      ratingAfterKw: study.network.transformerRatingKw + added('upgrade-transformer', -1),
      peakBeforeKw: peakOf(xBefore, lower.columns.substationKw),
      peakAfterKw: peakOf(x, lower.columns.substationKw),
    },
  ];
  for (let c = 0; c < net.busCount; c++) {
    if (c === root) continue;
    const columns = lower.columns.flowKw.map((day) => day.map((step) => step[c]));
    rows.push({
      id: branchIds[tree.parentBranch[c]],
      fromBus: busIds[tree.parentBus[c]],
      bus: busIds[c],
      ratingBeforeKw: instance.parentRatingKw[c],
      ratingAfterKw: instance.parentRatingKw[c] + added('reinforce-branch', c),
      peakBeforeKw: peakOf(xBefore, columns),
      peakAfterKw: peakOf(x, columns),
    });
  }
  return rows;
}
