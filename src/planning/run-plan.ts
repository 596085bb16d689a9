// One planning run: build the lower level, solve it by enumeration or the single-level MILP, summarise the plan.
import type { Network } from '../grid/schema.ts';
import { planByBilevel } from './bilevel.ts';
import { planByEnumeration } from './enumerate.ts';
import { planByHeuristic } from './heuristic.ts';
import { buildLowerLevel, type LowerLevel } from './lower-level.ts';
import { type PlanningInstance, preparePlanningInstance, resolveStudyNetwork } from './prepare-study.ts';
import type { ChargeType, PlanningStudy } from './study-schema.ts';
import { chargeValues, type UpperDecision } from './upper-decision.ts';

export type PlanMethod = 'bilevel' | 'enumerate' | 'heuristic';

export interface PlanResult {
  readonly status: 'optimal' | 'infeasible' | 'not_converged' | 'error';
  readonly method: PlanMethod;
  readonly isP2pAllowed: boolean;
  /** Total system cost at the planning year (EUR/yr): annualised upgrade capex + prosumers' cost without charges. */
  readonly objectiveEur: number;
  readonly upgrades: readonly string[];
  readonly charges: Partial<Record<ChargeType, number>>;
  readonly adoption: { readonly pvKwp: number; readonly batteryKwh: number; readonly heatPumps: number };
  /** Relative MIP gap bound asked of HiGHS (bilevel), 0 (enumerate is exhaustive) or (objective − lower bound) / objective (heuristic), in %. */
  readonly gapPct: number;
  readonly wallS: number;
  readonly reason?: string;
  /** Heuristic only: the valid lower bound on the objective (EUR/yr). */
  readonly lowerBoundEur?: number;
}

/** The solved plan behind a result, for the report (loadings) and the with/without P2P comparison. */
export interface PlanSolution {
  readonly instance: PlanningInstance;
  readonly lower: LowerLevel;
  readonly decision: UpperDecision;
  /** Lower-level primal solution (columns of lower.problem). */
  readonly x: Float64Array;
}

/** The `--json` contract: exactly these keys, plus `reason` when the study is infeasible. */
export function planJson(result: PlanResult) {
  const { status, method, objectiveEur, upgrades, charges, adoption, gapPct, wallS, reason } = result;
  return {
    status,
    method,
    objectiveEur,
    upgrades,
    charges,
    adoption,
    gapPct,
    wallS,
    ...(reason !== undefined && { reason }),
  };
}

export interface PlanOptions {
  readonly method: PlanMethod;
  readonly isP2pAllowed: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** Heuristic only: stop searching after this many seconds (the gap says how far from optimal). */
  readonly timeLimitS?: number;
}

/** Plan a validated study on its network (`network` from loadCase unless the study is synthetic). */
export async function runPlan(
  study: PlanningStudy,
  network: Network | undefined,
  options: PlanOptions,
): Promise<PlanResult> {
  return (await solvePlan(study, network, options)).result;
}

/** runPlan with the solution behind the result (undefined when there is none). */
export async function solvePlan(
  study: PlanningStudy,
  network: Network | undefined,
  options: PlanOptions,
): Promise<{ result: PlanResult; solution?: PlanSolution }> {
  const started = performance.now();
  const instance = preparePlanningInstance(study, resolveStudyNetwork(study, network));
  const lower = buildLowerLevel(instance, { isP2pAllowed: options.isP2pAllowed });
  const base = { method: options.method, isP2pAllowed: options.isP2pAllowed };
  const wallS = () => (performance.now() - started) / 1000;
  if (options.method === 'enumerate') {
    const result = await planByEnumeration(instance, lower, options.onProgress);
    if (!result.best) {
      const reason = `no admissible decision among ${result.evaluatedCount}: ${JSON.stringify(result.failures)}`;
      return { result: infeasible(base, reason, wallS()) };
    }
    return summarise(
      instance,
      lower,
      result.best.decision,
      result.best.evaluation.x,
      result.best.evaluation.objectiveEur,
      { ...base, gapPct: 0, wallS: wallS() },
    );
  }
  if (options.method === 'heuristic') {
    const result = await planByHeuristic(instance, lower, {
      timeLimitS: options.timeLimitS,
      onProgress: options.onProgress,
    });
    if (!result.best) {
      const reason = `no admissible decision found among ${result.evaluatedCount}: ${JSON.stringify(result.failures)}`;
      return { result: infeasible(base, reason, wallS()) };
    }
    const { decision, evaluation } = result.best;
    const solved = summarise(instance, lower, decision, evaluation.x, evaluation.objectiveEur, {
      ...base,
      gapPct: result.gapPct,
      wallS: wallS(),
    });
    return { ...solved, result: { ...solved.result, lowerBoundEur: result.lowerBoundEur } };
  }
  const result = await planByBilevel(instance, lower);
  if (result.status !== 'optimal' || !result.decision) {
    const reason =
      result.status === 'infeasible'
        ? 'no upgrade and charge combination recovers the network cost with the lower level feasible'
        : `solver status ${result.status}`;
    return {
      result: {
        ...infeasible(base, reason, wallS()),
        status: result.status === 'optimal' ? 'error' : result.status,
      },
    };
  }
  return summarise(instance, lower, result.decision, result.x, result.objectiveEur, {
    ...base,
    gapPct: 1e-7,
    wallS: wallS(),
  });
}

function infeasible(
  base: { method: PlanMethod; isP2pAllowed: boolean },
  reason: string,
  wallS: number,
): PlanResult {
  return {
    status: 'infeasible',
    ...base,
    objectiveEur: Number.NaN,
    upgrades: [],
    charges: {},
    adoption: { pvKwp: 0, batteryKwh: 0, heatPumps: 0 },
    gapPct: Number.NaN,
    wallS,
    reason,
  };
}

function summarise(
  instance: PlanningInstance,
  lower: LowerLevel,
  decision: UpperDecision,
  x: Float64Array,
  objectiveEur: number,
  rest: { method: PlanMethod; isP2pAllowed: boolean; gapPct: number; wallS: number },
): { result: PlanResult; solution: PlanSolution } {
  const sum = (cols: readonly number[]) => cols.reduce((s, c) => s + x[c], 0);
  const result: PlanResult = {
    status: 'optimal',
    ...rest,
    objectiveEur,
    upgrades: instance.study.candidates.filter((_, j) => decision.isBuilt[j]).map((c) => c.id),
    charges: chargeValues(instance.study, decision),
    adoption: {
      pvKwp: sum(lower.columns.pvKwp),
      batteryKwh: sum(lower.columns.batteryKwh),
      heatPumps: sum(lower.columns.heatPumps),
    },
  };
  return { result, solution: { instance, lower, decision, x } };
}
