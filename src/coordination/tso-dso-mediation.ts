// First TSO/DSO mediation: detect TSO requests that break distribution limits and resolve them by a chosen rule.
//
// The DSO knows, per TSO interval h, the range [minKw_h, maxKw_h] of grid-supply-point import its network can
// deliver (feeder transformers and MV branches, from sensitivities of its own power flow). A TSO request r_h is in
// conflict when r_h < minKw_h − tol or r_h > maxKw_h + tol. Rules (SimulationConfig.mediation):
//   distribution-first  (default) the DSO counters with its range; the TSO re-clears with the DSO's flexible node
//                       bounded to it, so the request is clipped, r'_h = min(max(r_h, min_h), max_h), and the
//                       TSO re-dispatches other units (prices then reflect the distribution limit);
//   transmission-first  the request stands; the DSO records the conflict and must cure it with its own means:
//                       it curtails (or re-dispatches) the part of its flexibility beyond its limits, and the
//                       grid supply point then deviates from the schedule (an imbalance the TSO balances).
// Both rules have a cost, and `mediationCosts` prices both on the same conflict (whatever rule is in force), so
// the value of the rule is a number:
//   distribution-first  TSO re-dispatch cost = (C_bounded − C_unbounded)·Δt, the TSO's DC OPF objective (generation
//                       cost − flexible consumers' value) with the DSO's node bounded to its range minus without;
//                       no distribution limit is broken;
//   transmission-first  DSO flexibility cost = Σ over the DSO's bid blocks between the clipped and the requested
//                       import of |value − LMP|·MW·Δt (the members' surplus lost by not following the cleared
//                       schedule, at the unbounded LMP), plus the imbalance penalty on the deviation e·Δt; had the
//                       DSO followed the request, e·Δt (kWh beyond the MV/LV-feasible range) is the violation.
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

/** One block of the DSO's flexible node: `kw` of consumption valued at `valueEurPerMwh`, stacked from `baseKw`. */
export interface NodeBlock {
  readonly kw: number;
  readonly valueEurPerMwh: number;
}

export interface ConflictCostInput {
  readonly requestedKw: number;
  readonly minKw: number;
  readonly maxKw: number;
  readonly dtH: number;
  /** The TSO's DC OPF objective (EUR/h) without and with the DSO's node bounded to [minKw, maxKw]. */
  readonly unboundedCostEurPerH: number;
  readonly boundedCostEurPerH: number;
  /** The unbounded LMP at the DSO's bus (EUR/MWh), the node's fixed consumption and its blocks in stacking order. */
  readonly lmpEurPerMwh: number;
  readonly baseKw: number;
  readonly blocks: readonly NodeBlock[];
  /** Value of the node's inflexible consumption below `baseKw` (EUR/MWh, the TSO's value of lost load). */
  readonly inflexibleEurPerMwh: number;
  readonly imbalancePenaltyEurPerMwh: number;
}

export interface ConflictCosts {
  readonly distributionFirst: { readonly tsoRedispatchEur: number; readonly violationKwh: number };
  readonly transmissionFirst: {
    readonly dsoFlexibilityEur: number;
    readonly imbalanceEur: number;
    /** Energy beyond the distribution-feasible range if the request were followed (kWh). */
    readonly violationKwh: number;
  };
}

/**
 * Σ over the blocks stacked from `baseKw` of (their part in [loKw, hiKw], MW) × `price(value)` (EUR/MWh), plus the
 * part of [loKw, hiKw] below the base at the inflexible value: by default the consumption's value, EUR/h.
 */
export function stackValueEurPerH(
  baseKw: number,
  blocks: readonly NodeBlock[],
  loKw: number,
  hiKw: number,
  inflexibleEurPerMwh: number,
  price: (valueEurPerMwh: number) => number = (v) => v,
): number {
  // Consumption below the stack's base is inflexible, valued at `inflexibleEurPerMwh` (curtailing it sheds load).
  let eur = (Math.max(0, Math.min(baseKw, hiKw) - loKw) / 1000) * price(inflexibleEurPerMwh);
  let level = baseKw;
  for (const b of blocks) {
    const overlapKw = Math.max(0, Math.min(level + b.kw, hiKw) - Math.max(level, loKw));
    eur += (overlapKw / 1000) * price(b.valueEurPerMwh);
    level += b.kw;
  }
  return eur;
}

/** Both rules' costs on one conflict interval (see the header: distribution-first vs transmission-first). */
export function mediationCosts(c: ConflictCostInput): ConflictCosts {
  const clipped = Math.min(Math.max(c.requestedKw, c.minKw), c.maxKw);
  const lo = Math.min(clipped, c.requestedKw);
  const hi = Math.max(clipped, c.requestedKw);
  const flexEur =
    stackValueEurPerH(c.baseKw, c.blocks, lo, hi, c.inflexibleEurPerMwh, (v) =>
      Math.abs(v - c.lmpEurPerMwh),
    ) * c.dtH;
  const excessKwh = (hi - lo) * c.dtH;
  return {
    distributionFirst: {
      tsoRedispatchEur: (c.boundedCostEurPerH - c.unboundedCostEurPerH) * c.dtH,
      violationKwh: 0,
    },
    transmissionFirst: {
      dsoFlexibilityEur: flexEur,
      imbalanceEur: (excessKwh / 1000) * c.imbalancePenaltyEurPerMwh,
      violationKwh: excessKwh,
    },
  };
}
