// First TSO/DSO mediation: detect TSO requests that break distribution limits and resolve them by a chosen rule.
//
// The DSO knows, per TSO interval h, the range [minKw_h, maxKw_h] of grid-supply-point import its network can
// deliver (feeder transformers and MV branches, from sensitivities of its own power flow). A TSO request r_h is in
// conflict when r_h < minKw_h − tol or r_h > maxKw_h + tol. Rules (SimulationConfig.mediation):
//   distribution-first  (default) the DSO counters with its range; the TSO re-clears with the DSO's flexible node
//                       bounded to it, so the request is clipped, r'_h = min(max(r_h, min_h), max_h), and the
//                       TSO re-dispatches other units (prices then reflect the distribution limit);
//   transmission-first  the request stands; the DSO records the conflict and the expected limit violation, and
//                       must cure it with its own means (reported, not modelled further).
export const MEDIATION_RULES = ['distribution-first', 'transmission-first'] as const;
export type MediationRule = (typeof MEDIATION_RULES)[number];

export const MEDIATION_TOLERANCE_KW = 1e-3;

export interface MediationConflict {
  readonly interval: number;
  readonly requestedKw: number;
  readonly minKw: number;
  readonly maxKw: number;
  /** The schedule after mediation (clipped under distribution-first, unchanged under transmission-first). */
  readonly resolvedKw: number;
}

export interface MediationOutcome {
  readonly rule: MediationRule;
  readonly conflicts: readonly MediationConflict[];
  /** Whether the DSO must send a counter (bounds) to the TSO. */
  readonly needsCounter: boolean;
}

/** Detect conflicts between a TSO request and the distribution-feasible range, and apply the rule. */
export function mediateTsoRequest(
  requestKw: ArrayLike<number>,
  minKw: ArrayLike<number>,
  maxKw: ArrayLike<number>,
  rule: MediationRule,
): MediationOutcome {
  const conflicts: MediationConflict[] = [];
  for (let h = 0; h < requestKw.length; h++) {
    const r = requestKw[h];
    if (r >= minKw[h] - MEDIATION_TOLERANCE_KW && r <= maxKw[h] + MEDIATION_TOLERANCE_KW) continue;
    const clipped = Math.min(Math.max(r, minKw[h]), maxKw[h]);
    conflicts.push({
      interval: h,
      requestedKw: r,
      minKw: minKw[h],
      maxKw: maxKw[h],
      resolvedKw: rule === 'distribution-first' ? clipped : r,
    });
  }
  return { rule, conflicts, needsCounter: rule === 'distribution-first' && conflicts.length > 0 };
}
