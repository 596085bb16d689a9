// The planning stage: load a network plan (new branch / transformer ratings) into the system before the operation days.
import type { Network } from '../grid/schema.ts';
import type { DsoModel, FeederModel, SystemModel } from './system-model.ts';

/** A plan to load: per upgraded element its new rating (kVA; e.g. from `gridnest plan --out`'s loadings). */
export interface PlanToLoad {
  /** Where the plan comes from (the planning study's name), for the report. */
  readonly source: string;
  readonly ratings: readonly { readonly id: string; readonly ratingKva: number }[];
}

/** What the planning stage did with one upgraded element. */
export interface PlanStageRow {
  readonly element: string;
  /** The simulated network holding it ('' when none does: the plan is for another network). */
  readonly network: string;
  readonly ratingBeforeKva: number;
  readonly ratingAfterKva: number;
  readonly isApplied: boolean;
}

/** One line of the engine's stage list that runs once, before the first operation day (see `STAGE_PLAN`). */
export const PLANNING_PHASE = { stage: 'planning', phase: 'load-plan', atH: -24 } as const;

/**
 * Load `plan` into the model: every branch of a DSO's MV network or of a simulated LV feeder whose id the plan
 * upgrades gets the plan's rating (never lowered: a plan adds capacity); the feeder transformer limit the DSO
 * uses follows when the upgraded branch is that feeder's transformer. Elements no simulated network holds are
 * reported, not applied. Pure: returns a new model.
 */
export function loadPlan(model: SystemModel, plan: PlanToLoad): { model: SystemModel; rows: PlanStageRow[] } {
  const rows: PlanStageRow[] = [];
  const wanted = new Map(plan.ratings.map((r) => [r.id, r.ratingKva]));
  const found = new Set<string>();
  const reported = new Set<string>();
  const upgrade = (network: Network, networkId: string): Network => {
    let changed = false;
    const branches = network.branches.map((b) => {
      const kva = wanted.get(String(b.id));
      if (kva === undefined) return b;
      found.add(String(b.id));
      const after = Math.max(b.rateAMva * 1000, kva);
      const key = `${networkId}/${b.id}`;
      if (!reported.has(key) && reported.add(key))
        rows.push({
          element: String(b.id),
          network: networkId,
          ratingBeforeKva: b.rateAMva * 1000,
          ratingAfterKva: after,
          isApplied: true,
        });
      changed = true;
      return { ...b, rateAMva: after / 1000 };
    });
    return changed ? { ...network, branches } : network;
  };
  const feeder = (f: FeederModel): FeederModel => {
    const network = upgrade(f.network, f.networkId);
    if (network === f.network) return f;
    const ratio = (n: Network) =>
      n.branches.filter((b) => b.kind === 'transformer').reduce((a, b) => a + b.rateAMva, 0);
    const before = ratio(f.network);
    const scale = before > 0 ? ratio(network) / before : 1;
    return { ...f, network, transformerLimitKw: f.transformerLimitKw * scale };
  };
  const dsos = model.dsos.map(
    (d): DsoModel => ({ ...d, network: upgrade(d.network, d.id), feeders: d.feeders.map(feeder) }),
  );
  for (const [id, kva] of wanted)
    if (!found.has(id))
      rows.push({
        element: id,
        network: '',
        ratingBeforeKva: Number.NaN,
        ratingAfterKva: kva,
        isApplied: false,
      });
  return { model: { ...model, dsos }, rows };
}
