// The DSO's side of TSO/DSO mediation: check a TSO request against its feasible range, record conflicts, counter.
import { type MediationRule, mediateTsoRequest } from '../coordination/tso-dso-mediation.ts';
import type { MessageOf } from '../transport/messages.ts';
import type { MediationRow } from './recorder.ts';

/** The DSO's feasible GSP import at the TSO step (kW). */
export interface TsoStepRange {
  readonly minKw: number[];
  readonly maxKw: number[];
}

/**
 * Mediate a TSO day-ahead request under `rule`: the conflicts as recorder rows, and the counter message (the
 * bounds the DSO can follow) whenever there is a conflict.
 */
export function mediateRequest(
  request: MessageOf<'schedule'>,
  range: TsoStepRange,
  rule: MediationRule,
  dsoId: string,
): { readonly conflicts: MediationRow[]; readonly counter?: MessageOf<'counter'> } {
  const outcome = mediateTsoRequest(request.netImportKw, range.minKw, range.maxKw, rule);
  const conflicts = outcome.conflicts.map((c) => ({
    ...c,
    dso: dsoId,
    rule: outcome.rule,
    timeUtc: new Date(Date.parse(request.startUtc) + c.interval * request.stepMin * 60_000).toISOString(),
  }));
  // The bounds go to the TSO on every conflict: applied under distribution-first, under transmission-first only
  // to price the rule not taken (mediationCosts).
  if (outcome.conflicts.length === 0) return { conflicts };
  return {
    conflicts,
    counter: {
      type: 'counter',
      startUtc: request.startUtc,
      stepMin: request.stepMin,
      minKw: range.minKw,
      maxKw: range.maxKw,
      conflictIntervals: outcome.conflicts.map((c) => c.interval),
    },
  };
}
