// The TSO's pricing of TSO/DSO mediation: both rules' costs on every conflict hour, whatever rule is in force.
import {
  type MediationRule,
  mediationCosts,
  type NodeBlock,
  stackValueEurPerH,
} from '../coordination/tso-dso-mediation.ts';
import type { FlexibleNode } from '../problems/opf/dc-opf-flexible-nodes.ts';
import type { MessageOf } from '../transport/messages.ts';

/** One DSO and conflict hour: the request, the DSO's range, and the cost of each rule (EUR, kWh). */
export interface MediationCostRow {
  readonly timeUtc: string;
  readonly dso: string;
  /** The rule in force in the run. */
  readonly rule: MediationRule;
  readonly requestedKw: number;
  readonly minKw: number;
  readonly maxKw: number;
  /** Distribution-first: the TSO's re-dispatch cost (shared equally by the DSOs in conflict in the hour). */
  readonly tsoRedispatchEur: number;
  /** Transmission-first: the DSO's flexibility curtailed, the imbalance penalty, and the violation if followed. */
  readonly dsoFlexibilityEur: number;
  readonly imbalanceEur: number;
  readonly violationKwh: number;
}

export interface ConflictPricing {
  readonly rule: MediationRule;
  readonly dsoIds: readonly string[];
  /** Counters (DSO bounds) by DSO index; absent where the DSO had no conflict. */
  readonly counters: readonly (MessageOf<'counter'> | undefined)[];
  readonly requestKw: (h: number, dso: number) => number;
  /** The TSO's objective (EUR/h) and the LMP at each DSO (EUR/MWh) of the unbounded (request) clearing. */
  readonly unbounded: (h: number) => { readonly costPerH: number; readonly lmpByDso: readonly number[] };
  /** The objective with every counter applied (the final clearing under distribution-first, else a re-solve). */
  readonly boundedCostPerH: (h: number) => Promise<number>;
  /** The DSO's unbounded flexible node in hour h. */
  readonly node: (h: number, dso: number) => FlexibleNode;
  readonly dtH: number;
  readonly imbalancePenaltyEurPerMwh: number;
  /** Value of a node's inflexible consumption (EUR/MWh): what shedding it below the node's base costs. */
  readonly inflexibleEurPerMwh: number;
  readonly startUtc: string;
  readonly stepMin: number;
}

const blocksOf = (node: FlexibleNode): NodeBlock[] =>
  node.blocks.map((b) => ({ kw: b.mw * 1000, valueEurPerMwh: b.willingnessPerMwh }));

/** Price every conflict hour under both rules (`mediationCosts`). */
export async function priceConflicts(p: ConflictPricing): Promise<MediationCostRow[]> {
  const byHour = new Map<number, number[]>();
  p.counters.forEach((c, d) => {
    for (const h of c?.conflictIntervals ?? []) byHour.set(h, [...(byHour.get(h) ?? []), d]);
  });
  const rows: MediationCostRow[] = [];
  for (const [h, dsos] of [...byHour].sort((a, b) => a[0] - b[0])) {
    const unbounded = p.unbounded(h);
    // The bounded OPF fixes each countered DSO's consumption up to its new minimum and no longer values it (or, with
    // the maximum below the old base, sheds inflexible consumption); value it on the unbounded node's stack so
    // both objectives value the same consumption.
    let bounded = await p.boundedCostPerH(h);
    p.counters.forEach((c, d) => {
      if (!c) return;
      const node = p.node(h, d);
      const baseKw = node.minMw * 1000;
      const minKw = Math.min(Math.max(baseKw, c.minKw[h]), c.maxKw[h]);
      bounded +=
        minKw >= baseKw
          ? -stackValueEurPerH(baseKw, blocksOf(node), baseKw, minKw, p.inflexibleEurPerMwh)
          : stackValueEurPerH(baseKw, [], minKw, baseKw, p.inflexibleEurPerMwh);
    });
    for (const d of dsos) {
      const counter = p.counters[d]!;
      const node = p.node(h, d);
      const requestedKw = p.requestKw(h, d);
      const costs = mediationCosts({
        requestedKw,
        minKw: counter.minKw[h],
        maxKw: counter.maxKw[h],
        dtH: p.dtH,
        unboundedCostEurPerH: unbounded.costPerH,
        boundedCostEurPerH: bounded,
        lmpEurPerMwh: unbounded.lmpByDso[d],
        baseKw: node.minMw * 1000,
        blocks: blocksOf(node),
        imbalancePenaltyEurPerMwh: p.imbalancePenaltyEurPerMwh,
        inflexibleEurPerMwh: p.inflexibleEurPerMwh,
      });
      rows.push({
        timeUtc: new Date(Date.parse(p.startUtc) + h * p.stepMin * 60_000).toISOString(),
        dso: p.dsoIds[d],
        rule: p.rule,
        requestedKw,
        minKw: counter.minKw[h],
        maxKw: counter.maxKw[h],
        tsoRedispatchEur: costs.distributionFirst.tsoRedispatchEur / dsos.length,
        dsoFlexibilityEur: costs.transmissionFirst.dsoFlexibilityEur,
        imbalanceEur: costs.transmissionFirst.imbalanceEur,
        violationKwh: costs.transmissionFirst.violationKwh,
      });
    }
  }
  return rows;
}
