// With versus without P2P: the two plans and the value of the upgrades P2P defers (what `simulate --plan` reads).
//
// An upgrade is deferred when the plan without P2P builds it and the plan with P2P does not. Its years deferred T
// is the smallest k ∈ {1, …, K} such that the plan with P2P, re-solved with the load growth of horizonYears + k,
// builds it (T ≥ K, flagged `isAtLeast`, when none does). Its deferral value is the present value saved by paying
// the capex T years later:  NPV = capex · (1 − (1 + r)^−T)  with the candidate's own discount rate r.
import type { Network } from '../grid/schema.ts';
import { type PlanMethod, type PlanResult, planJson, runPlan } from './run-plan.ts';
import type { PlanningStudy } from './study-schema.ts';

export interface DeferredUpgrade {
  readonly id: string;
  readonly capexEur: number;
  readonly discountRate: number;
  readonly yearsDeferred: number;
  /** True when the plan with P2P did not build it within the K years tried: T is a lower bound. */
  readonly isAtLeast: boolean;
  readonly npvEur: number;
}

export interface PlanComparison {
  readonly withP2p: ReturnType<typeof planJson>;
  readonly withoutP2p: ReturnType<typeof planJson>;
  readonly deferred: readonly DeferredUpgrade[];
  /** Σ NPV of the deferred upgrades (EUR). */
  readonly deferredValueEur: number;
  readonly formula: string;
}

export const DEFERRAL_FORMULA =
  'deferred = built without P2P, not with P2P; years T = smallest k ≤ K with the P2P plan at horizon + k building it; NPV = capex·(1 − (1 + r)^−T)';

/** Present value saved by spending `capexEur` T years later at discount rate r. */
export function deferralNpvEur(capexEur: number, discountRate: number, years: number): number {
  return capexEur * (1 - (1 + discountRate) ** -years);
}

export interface CompareOptions {
  readonly method: PlanMethod;
  /** K: the most extra years of load growth tried for the years deferred (default 3). */
  readonly maxDeferralYears?: number;
  /** Plans already solved (skip their solves). */
  readonly withP2p?: PlanResult;
  readonly withoutP2p?: PlanResult;
  readonly timeLimitS?: number;
}

/** Both plans and the deferral value (module comment). */
export async function comparePlans(
  study: PlanningStudy,
  network: Network | undefined,
  options: CompareOptions,
): Promise<PlanComparison> {
  const solve = (s: PlanningStudy, isP2pAllowed: boolean) =>
    runPlan(s, network, { method: options.method, isP2pAllowed, timeLimitS: options.timeLimitS });
  const withP2p = options.withP2p ?? (await solve(study, true));
  const withoutP2p = options.withoutP2p ?? (await solve(study, false));
  const maxYears = options.maxDeferralYears ?? 3;
  const deferredIds =
    withP2p.status === 'optimal' && withoutP2p.status === 'optimal'
      ? withoutP2p.upgrades.filter((id) => !withP2p.upgrades.includes(id))
      : [];
  const yearsOf = new Map<string, number>();
  for (let k = 1; k <= maxYears && yearsOf.size < deferredIds.length; k++) {
    const later = await solve(
      { ...study, loadGrowth: { ...study.loadGrowth, horizonYears: study.loadGrowth.horizonYears + k } },
      true,
    );
    for (const id of deferredIds) if (!yearsOf.has(id) && later.upgrades.includes(id)) yearsOf.set(id, k);
  }
  const deferred = deferredIds.map((id) => {
    const candidate = study.candidates.find((c) => c.id === id)!;
    const yearsDeferred = yearsOf.get(id) ?? maxYears;
    return {
      id,
      capexEur: candidate.capexEur,
      discountRate: candidate.discountRate,
      yearsDeferred,
      isAtLeast: !yearsOf.has(id),
      npvEur: deferralNpvEur(candidate.capexEur, candidate.discountRate, yearsDeferred),
    };
  });
  return {
    withP2p: planJson(withP2p),
    withoutP2p: planJson(withoutP2p),
    deferred,
    deferredValueEur: deferred.reduce((s, d) => s + d.npvEur, 0),
    formula: DEFERRAL_FORMULA.replace('K', String(maxYears)),
  };
}
