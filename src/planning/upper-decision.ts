// An upper-level choice (upgrades built, one level per charge) and the lower-level LP it induces.
import type { OptimisationProblem } from '../numeric/optimisation/index.ts';
import type { LowerLevel } from './lower-level.ts';
import { CHARGE_TYPES, type ChargeType, type PlanningStudy } from './study-schema.ts';

export interface UpperDecision {
  readonly isBuilt: readonly boolean[];
  /** Index into study.charges[type] for each charge. */
  readonly chargeLevel: Readonly<Record<ChargeType, number>>;
}

/** The charge values of a decision (EUR/kWh, EUR/kW/yr, EUR/kWh, EUR/kWh). */
export function chargeValues(study: PlanningStudy, decision: UpperDecision): Record<ChargeType, number> {
  return Object.fromEntries(
    CHARGE_TYPES.map((t) => [t, study.charges[t][decision.chargeLevel[t]]]),
  ) as Record<ChargeType, number>;
}

/** Every decision of the finite upper-level space, upgrades varying slowest. */
export function listUpperDecisions(study: PlanningStudy): UpperDecision[] {
  const decisions: UpperDecision[] = [];
  const candidateCount = study.candidates.length;
  const levelCounts = CHARGE_TYPES.map((t) => study.charges[t].length);
  const chargeCombos = levelCounts.reduce((p, c) => p * c, 1);
  for (let mask = 0; mask < 2 ** candidateCount; mask++) {
    for (let combo = 0; combo < chargeCombos; combo++) {
      let rest = combo;
      const chargeLevel = {} as Record<ChargeType, number>;
      CHARGE_TYPES.forEach((t, k) => {
        chargeLevel[t] = rest % levelCounts[k];
        rest = Math.floor(rest / levelCounts[k]);
      });
      decisions.push({
        isBuilt: Array.from({ length: candidateCount }, (_, j) => ((mask >> j) & 1) === 1),
        chargeLevel,
      });
    }
  }
  return decisions;
}

/** The lower-level LP of a decision: aggregate columns priced at the charges, built upgrades' bounds moved. */
export function instantiateLowerLevel(
  lower: LowerLevel,
  study: PlanningStudy,
  decision: UpperDecision,
): OptimisationProblem {
  const colCost = Float64Array.from(lower.problem.colCost);
  const charges = chargeValues(study, decision);
  for (const t of CHARGE_TYPES) colCost[lower.chargeColumns[t]] += charges[t];
  const colLower = Float64Array.from(lower.problem.colLower);
  const colUpper = Float64Array.from(lower.problem.colUpper);
  for (const bound of lower.parametricBounds) {
    if (!decision.isBuilt[bound.upgrade]) continue;
    if (bound.kind === 'colUpper') colUpper[bound.column] += bound.deltaPerBuild;
    else colLower[bound.column] += bound.deltaPerBuild;
  }
  return { ...lower.problem, colCost, colLower, colUpper, integrality: undefined };
}

/** The problem with extra rows lower ≤ Σ values·x ≤ upper appended and the given objective. */
export function withRowsAndCost(
  problem: OptimisationProblem,
  rows: readonly { lower: number; upper: number; columns: readonly number[]; values: readonly number[] }[],
  colCost: Float64Array,
): OptimisationProblem {
  const rowStarts = [...problem.rowStarts];
  const rowColumns = [...problem.rowColumns];
  const rowValues = [...problem.rowValues];
  for (const row of rows) {
    rowColumns.push(...row.columns);
    rowValues.push(...row.values);
    rowStarts.push(rowColumns.length);
  }
  return {
    ...problem,
    colCost,
    numRows: problem.numRows + rows.length,
    rowLower: Float64Array.from([...problem.rowLower, ...rows.map((r) => r.lower)]),
    rowUpper: Float64Array.from([...problem.rowUpper, ...rows.map((r) => r.upper)]),
    rowStarts: Int32Array.from(rowStarts),
    rowColumns: Int32Array.from(rowColumns),
    rowValues: Float64Array.from(rowValues),
    rowNames: undefined,
  };
}
