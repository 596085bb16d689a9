// The reference method: every upper-level decision with its lower level solved on its own (optimistic selection).
import { solveOptimisation } from '../numeric/optimisation/index.ts';
import type { LowerLevel } from './lower-level.ts';
import type { PlanningInstance } from './prepare-study.ts';
import { CHARGE_TYPES } from './study-schema.ts';
import {
  chargeValues,
  instantiateLowerLevel,
  listUpperDecisions,
  type UpperDecision,
  withRowsAndCost,
} from './upper-decision.ts';

/** Relative slack on the lower-level optimum in the optimistic second stage (see README). */
export const LOWER_OPTIMUM_TOLERANCE = 1e-9;

export interface DecisionEvaluation {
  /** `optimal`, or why the decision is not admissible. */
  readonly status: 'optimal' | 'lower_infeasible' | 'cost_recovery_infeasible' | 'solver_error';
  /** Total system cost: annualised upgrade capex + lower-level cost without charges (EUR/yr). */
  readonly objectiveEur: number;
  readonly lowerObjectiveEur: number;
  readonly x: Float64Array;
}

/**
 * Evaluate one decision: (1) solve the prosumers' LP f*(x) = min c(x)ᵀy; (2) among its optima (c(x)ᵀy ≤ f* +
 * tolerance) that recover the DSO's costs, pick the one with least system cost — the optimistic bilevel convention
 * that the single-level MILP follows too.
 */
export async function evaluateUpperDecision(
  instance: PlanningInstance,
  lower: LowerLevel,
  decision: UpperDecision,
): Promise<DecisionEvaluation> {
  const { study } = instance;
  const problem = instantiateLowerLevel(lower, study, decision);
  const empty = { objectiveEur: Number.NaN, lowerObjectiveEur: Number.NaN, x: new Float64Array(0) };
  const first = await solveOptimisation(problem);
  if (first.status === 'infeasible') return { status: 'lower_infeasible', ...empty };
  if (first.status !== 'optimal') return { status: 'solver_error', ...empty };
  const charges = chargeValues(study, decision);
  const capexEur = decision.isBuilt.reduce(
    (s, isBuilt, j) => s + (isBuilt ? instance.candidateAnnualisedCapexEur[j] : 0),
    0,
  );
  const lowerColumns = [...problem.colCost.keys()].filter((j) => problem.colCost[j] !== 0);
  const revenueColumns = CHARGE_TYPES.map((t) => lower.chargeColumns[t]);
  const second = await solveOptimisation(
    withRowsAndCost(
      problem,
      [
        {
          lower: Number.NEGATIVE_INFINITY,
          upper: first.objective + LOWER_OPTIMUM_TOLERANCE * Math.max(1, Math.abs(first.objective)),
          columns: lowerColumns,
          values: lowerColumns.map((j) => problem.colCost[j]),
        },
        {
          lower: study.existingNetworkCostEurPerYear + capexEur,
          upper: Number.POSITIVE_INFINITY,
          columns: revenueColumns,
          values: CHARGE_TYPES.map((t) => charges[t]),
        },
      ],
      lower.problem.colCost,
    ),
  );
  if (second.status === 'infeasible') return { status: 'cost_recovery_infeasible', ...empty };
  if (second.status !== 'optimal') return { status: 'solver_error', ...empty };
  return {
    status: 'optimal',
    objectiveEur: second.objective + capexEur,
    lowerObjectiveEur: first.objective,
    x: second.x,
  };
}

export interface EnumerationResult {
  readonly best?: { decision: UpperDecision; evaluation: DecisionEvaluation };
  readonly evaluatedCount: number;
  /** How many decisions failed for each reason (for the infeasibility message). */
  readonly failures: Readonly<Record<string, number>>;
}

/** Evaluate every decision; ties within 1e-9 relative keep the first in listing order (fewest upgrades first). */
export async function planByEnumeration(
  instance: PlanningInstance,
  lower: LowerLevel,
  onProgress?: (done: number, total: number) => void,
): Promise<EnumerationResult> {
  const decisions = listUpperDecisions(instance.study);
  let best: EnumerationResult['best'];
  const failures: Record<string, number> = {};
  for (const [k, decision] of decisions.entries()) {
    const evaluation = await evaluateUpperDecision(instance, lower, decision);
    onProgress?.(k + 1, decisions.length);
    if (evaluation.status !== 'optimal') {
      failures[evaluation.status] = (failures[evaluation.status] ?? 0) + 1;
      continue;
    }
    const isBetter =
      !best ||
      evaluation.objectiveEur < best.evaluation.objectiveEur - 1e-9 * Math.abs(best.evaluation.objectiveEur);
    if (isBetter) best = { decision, evaluation };
  }
  return { best, evaluatedCount: decisions.length, failures };
}
