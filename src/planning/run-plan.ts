// One planning run: build the lower level, solve it by enumeration or the single-level MILP, summarise the plan.
import type { Network } from '../grid/schema.ts';
import { planByBilevel } from './bilevel.ts';
import { planByEnumeration } from './enumerate.ts';
import { buildLowerLevel, type LowerLevel } from './lower-level.ts';
import { type PlanningInstance, preparePlanningInstance, resolveStudyNetwork } from './prepare-study.ts';
import type { ChargeType, PlanningStudy } from './study-schema.ts';
import { chargeValues, type UpperDecision } from './upper-decision.ts';

export type PlanMethod = 'bilevel' | 'enumerate';

export interface PlanResult {
  readonly status: 'optimal' | 'infeasible' | 'not_converged' | 'error';
  readonly method: PlanMethod;
  readonly isP2pAllowed: boolean;
  /** Total system cost at the planning year (EUR/yr): annualised upgrade capex + prosumers' cost without charges. */
  readonly objectiveEur: number;
  readonly upgrades: readonly string[];
  readonly charges: Partial<Record<ChargeType, number>>;
  readonly adoption: { readonly pvKwp: number; readonly batteryKwh: number; readonly heatPumps: number };
  /** Relative MIP gap bound asked of HiGHS (bilevel) or 0 (enumerate is exhaustive), in %. */
  readonly gapPct: number;
  readonly wallS: number;
  readonly reason?: string;
}

export interface PlanOptions {
  readonly method: PlanMethod;
  readonly isP2pAllowed: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Plan a validated study on its network (`network` from loadCase unless the study is synthetic). */
export async function runPlan(
  study: PlanningStudy,
  network: Network | undefined,
  options: PlanOptions,
): Promise<PlanResult> {
  const started = performance.now();
  const instance = preparePlanningInstance(study, resolveStudyNetwork(study, network));
  const lower = buildLowerLevel(instance, { isP2pAllowed: options.isP2pAllowed });
  const base = { method: options.method, isP2pAllowed: options.isP2pAllowed };
  const wallS = () => (performance.now() - started) / 1000;
  if (options.method === 'enumerate') {
    const result = await planByEnumeration(instance, lower, options.onProgress);
    if (!result.best) {
      const reason = `no admissible decision among ${result.evaluatedCount}: ${JSON.stringify(result.failures)}`;
      return infeasible(base, reason, wallS());
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
  const result = await planByBilevel(instance, lower);
  if (result.status !== 'optimal' || !result.decision) {
    const reason =
      result.status === 'infeasible'
        ? 'no upgrade and charge combination recovers the network cost with the lower level feasible'
        : `solver status ${result.status}`;
    return {
      ...infeasible(base, reason, wallS()),
      status: result.status === 'optimal' ? 'error' : result.status,
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
): PlanResult {
  const sum = (cols: readonly number[]) => cols.reduce((s, c) => s + x[c], 0);
  return {
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
}
