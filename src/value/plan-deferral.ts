// Value category (vii) from a plan: the upgrades the P2P plan defers (from `gridnest plan --out`'s plan.json),
// as value-table rows and report facts. Baseline has no P2P (its plan is the one without P2P): its deferral is 0.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import type { PlanStageRow, PlanToLoad } from '../hierarchy/plan-stage.ts';
import type { ValueRow } from './metrics.ts';
import { BASELINE_RUN } from './run-definitions.ts';

const planSummary = z.object({
  status: z.string(),
  objectiveEur: z.number().nullable(),
  upgrades: z.array(z.string()),
  charges: z.record(z.string(), z.number()),
});

/** The part of plan.json that simulate reads (other fields are ignored). */
export const planDeferralSchema = z.object({
  study: z.string(),
  comparison: z.object({
    withP2p: planSummary,
    withoutP2p: planSummary,
    deferred: z.array(
      z.object({
        id: z.string(),
        capexEur: z.number(),
        yearsDeferred: z.number(),
        isAtLeast: z.boolean(),
        npvEur: z.number(),
      }),
    ),
    deferredValueEur: z.number(),
    formula: z.string(),
  }),
  /** Element ratings before and after the plan (kW ≈ kVA), loaded by the simulation's planning stage. */
  loadings: z
    .array(z.object({ id: z.string(), ratingBeforeKw: z.number(), ratingAfterKw: z.number() }))
    .optional(),
});

export type PlanDeferral = z.infer<typeof planDeferralSchema>;

/** Validate a parsed plan.json; InputError names the field path under `prefix`. */
export function parsePlanDeferral(value: unknown, prefix: readonly (string | number)[] = []): PlanDeferral {
  return parseInput(planDeferralSchema, value, prefix);
}

/** Two rows for category (vii): the NPV of the deferred upgrades and the years they are deferred. */
export function planDeferralRows(plan: PlanDeferral, runs: readonly string[]): ValueRow[] {
  const { deferred, deferredValueEur, formula } = plan.comparison;
  const years = deferred.length > 0 ? Math.max(...deferred.map((d) => d.yearsDeferred)) : 0;
  const perRun = (value: number) => Object.fromEntries(runs.map((r) => [r, r === BASELINE_RUN ? 0 : value]));
  return [
    {
      category: 'deferred distribution upgrades',
      metric: `NPV of upgrades deferred by P2P (plan ${plan.study})`,
      unit: 'EUR',
      values: perRun(deferredValueEur),
      isHigherBetter: true,
      definition: `From the plan with and without P2P (gridnest plan): ${formula}; baseline (no P2P) defers nothing.`,
    },
    {
      category: 'deferred distribution upgrades',
      metric: `years the P2P plan defers upgrades (longest, plan ${plan.study})`,
      unit: 'years',
      values: perRun(years),
      isHigherBetter: true,
      definition: `Longest years deferred among ${deferred.map((d) => d.id).join(', ') || 'no upgrade'}${deferred.some((d) => d.isAtLeast) ? ' (at least: not built within the years tried)' : ''}.`,
    },
  ];
}

/** Report facts: both plans and what P2P defers. */
export function planDeferralFacts(plan: PlanDeferral): [string, string][] {
  const describe = (p: PlanDeferral['comparison']['withP2p']) =>
    `${p.status}; upgrades ${p.upgrades.join(', ') || 'none'}; total system cost ${p.objectiveEur?.toFixed(0) ?? '–'} EUR/yr; charges ${Object.entries(
      p.charges,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`;
  const { withP2p, withoutP2p, deferred, deferredValueEur } = plan.comparison;
  return [
    [`plan ${plan.study} without P2P`, describe(withoutP2p)],
    [`plan ${plan.study} with P2P`, describe(withP2p)],
    [
      'upgrades deferred by P2P',
      deferred.length === 0
        ? 'none'
        : `${deferred.map((d) => `${d.id} by ${d.isAtLeast ? '≥ ' : ''}${d.yearsDeferred} years (NPV ${d.npvEur.toFixed(0)} EUR)`).join('; ')}; total ${deferredValueEur.toFixed(0)} EUR`,
    ],
  ];
}

/** The upgrades of a plan as new ratings for the simulation's planning stage (hierarchy/plan-stage.ts). */
export function planToLoad(plan: PlanDeferral): PlanToLoad {
  return {
    source: plan.study,
    ratings: (plan.loadings ?? [])
      .filter((l) => l.ratingAfterKw > l.ratingBeforeKw)
      .map((l) => ({ id: l.id, ratingKva: l.ratingAfterKw })),
  };
}

/** Report fact: what the planning stage loaded into the simulated networks. */
export function planStageFacts(rows: readonly PlanStageRow[]): [string, string][] {
  const applied = rows.filter((r) => r.isApplied);
  const missing = rows.filter((r) => !r.isApplied);
  return [
    [
      'planning stage',
      `${applied.map((r) => `${r.network}/${r.element} ${r.ratingBeforeKva.toFixed(0)} → ${r.ratingAfterKva.toFixed(0)} kVA`).join(', ') || 'no upgrade loaded'}${missing.length > 0 ? `; not in the simulated networks: ${missing.map((r) => r.element).join(', ')}` : ''}`,
    ],
  ];
}
