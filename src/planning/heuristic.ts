// The heuristic for large feeders: bound-ordered search over upgrade sets with a local search over charge levels,
// and the high-point relaxation as a valid lower bound.
//
// Lower bound. For an upgrade set S, LB(S) = Σ_{j∈S} CRF_j·capex_j + min { c0ᵀy : y feasible for the lower level
// with S built } — the high-point relaxation, where the DSO would also choose the prosumers' operation and cost
// recovery is dropped. Every bilevel-feasible decision (S, charges) has objective capex(S) + c0ᵀy* with y* feasible
// for that LP, so objective ≥ LB(S), and the optimum is ≥ min_S LB(S).
//
// Search. Upgrade sets are visited in increasing LB(S); a set with LB(S) ≥ the best objective found (UB) cannot
// hold a better decision and is pruned (and so are all after it). In a visited set, charges are improved by
// coordinate descent from the best charges so far: change one charge to another level, keep the first move that
// lowers the objective (evaluateUpperDecision, the exact optimistic lower level), repeat until no move helps.
// A visited set's own optimum may be missed (that is the heuristic part), so its LB(S) stays in the bound:
// lowerBound = min(UB, min over sets not pruned of LB(S)); gapPct = 100·(UB − lowerBound)/|UB|.
import { solveOptimisation } from '../numeric/optimisation/index.ts';
import { type DecisionEvaluation, evaluateUpperDecision } from './enumerate.ts';
import type { LowerLevel } from './lower-level.ts';
import type { PlanningInstance } from './prepare-study.ts';
import { CHARGE_TYPES, type ChargeType } from './study-schema.ts';
import { instantiateLowerLevel, type UpperDecision } from './upper-decision.ts';

export interface HeuristicResult {
  readonly best?: { decision: UpperDecision; evaluation: DecisionEvaluation };
  readonly lowerBoundEur: number;
  readonly gapPct: number;
  readonly evaluatedCount: number;
  /** Upgrade sets whose charges were searched, and those pruned by their bound. */
  readonly searchedSets: number;
  readonly prunedSets: number;
  readonly failures: Readonly<Record<string, number>>;
}

export interface HeuristicOptions {
  /** Stop visiting upgrade sets after this many seconds (the bound stays valid; the gap grows). */
  readonly timeLimitS?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** LB(S) of one upgrade set (see module comment); +∞ when the lower level is infeasible with S. */
export async function upgradeSetBoundEur(
  instance: PlanningInstance,
  lower: LowerLevel,
  isBuilt: readonly boolean[],
): Promise<number> {
  const zeroLevels = Object.fromEntries(CHARGE_TYPES.map((t) => [t, 0])) as Record<ChargeType, number>;
  const problem = instantiateLowerLevel(lower, instance.study, { isBuilt, chargeLevel: zeroLevels });
  const result = await solveOptimisation({ ...problem, colCost: lower.problem.colCost });
  if (result.status === 'infeasible') return Number.POSITIVE_INFINITY;
  if (result.status !== 'optimal') throw new Error(`high-point relaxation: solver status ${result.status}`);
  const capexEur = isBuilt.reduce((s, b, j) => s + (b ? instance.candidateAnnualisedCapexEur[j] : 0), 0);
  return capexEur + result.objective;
}

const key = (d: UpperDecision) =>
  `${d.isBuilt.map(Number).join('')}|${CHARGE_TYPES.map((t) => d.chargeLevel[t]).join(',')}`;

/** Plan by the bound-ordered search (module comment). */
export async function planByHeuristic(
  instance: PlanningInstance,
  lower: LowerLevel,
  options: HeuristicOptions = {},
): Promise<HeuristicResult> {
  const started = performance.now();
  const { study } = instance;
  const candidateCount = study.candidates.length;
  const sets = Array.from({ length: 2 ** candidateCount }, (_, mask) =>
    Array.from({ length: candidateCount }, (_, j) => ((mask >> j) & 1) === 1),
  );
  const bounds: number[] = [];
  for (const isBuilt of sets) bounds.push(await upgradeSetBoundEur(instance, lower, isBuilt));
  const order = [...sets.keys()].sort((a, b) => bounds[a] - bounds[b]);
  const cache = new Map<string, DecisionEvaluation>();
  const failures: Record<string, number> = {};
  let best: HeuristicResult['best'];
  const upper = () => best?.evaluation.objectiveEur ?? Number.POSITIVE_INFINITY;
  const evaluate = async (decision: UpperDecision) => {
    const k = key(decision);
    let evaluation = cache.get(k);
    if (!evaluation) {
      evaluation = await evaluateUpperDecision(instance, lower, decision);
      cache.set(k, evaluation);
      if (evaluation.status !== 'optimal')
        failures[evaluation.status] = (failures[evaluation.status] ?? 0) + 1;
    }
    const objective = evaluation.status === 'optimal' ? evaluation.objectiveEur : Number.POSITIVE_INFINITY;
    if (objective < upper()) best = { decision, evaluation };
    return objective;
  };
  const topLevels = Object.fromEntries(CHARGE_TYPES.map((t) => [t, study.charges[t].length - 1])) as Record<
    ChargeType,
    number
  >;
  let searchedSets = 0;
  let prunedSets = 0;
  let openBound = Number.POSITIVE_INFINITY;
  for (const [visited, s] of order.entries()) {
    if (bounds[s] >= upper() - 1e-9 * Math.abs(upper()) || !Number.isFinite(bounds[s])) {
      prunedSets = order.length - visited;
      break;
    }
    if (options.timeLimitS !== undefined && (performance.now() - started) / 1000 > options.timeLimitS) {
      openBound = Math.min(openBound, bounds[s]);
      break;
    }
    searchedSets++;
    openBound = Math.min(openBound, bounds[s]);
    let levels = { ...(best?.decision.chargeLevel ?? topLevels) };
    let current = await evaluate({ isBuilt: sets[s], chargeLevel: levels });
    if (!Number.isFinite(current) && best) {
      levels = { ...topLevels };
      current = await evaluate({ isBuilt: sets[s], chargeLevel: levels });
    }
    for (let isImproved = true; isImproved; ) {
      isImproved = false;
      for (const t of CHARGE_TYPES) {
        for (let l = 0; l < study.charges[t].length && !isImproved; l++) {
          if (l === levels[t]) continue;
          const trial = { ...levels, [t]: l };
          const objective = await evaluate({ isBuilt: sets[s], chargeLevel: trial });
          if (objective < current - 1e-9 * Math.abs(current)) {
            levels = trial;
            current = objective;
            isImproved = true;
          }
        }
      }
    }
    options.onProgress?.(visited + 1, order.length);
  }
  const lowerBoundEur = Math.min(upper(), openBound);
  const gapPct = best ? (100 * (upper() - lowerBoundEur)) / Math.abs(upper()) : Number.NaN;
  return {
    best,
    lowerBoundEur,
    gapPct,
    evaluatedCount: cache.size,
    searchedSets,
    prunedSets,
    failures,
  };
}
