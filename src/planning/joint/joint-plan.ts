// Joint transmission–distribution planning (M9): transmission reinforcements on a DC network over one
// representative day, nested with each DSO's substation upgrades and its aggregated P2P flexibility (a lossless
// battery-like shift with cyclic energy), solved jointly as one MILP at small size, against sequential planning.
//
//   minimise  Σ_j A_j·u_j + Σ_k A_k·v_k + W·Σ_h [ Σ_g cost_g(Pg_gh) + VoLL·Σ_d shed_dh ]
//   s.t.      DC nodal balance per hour, |flow_lh| ≤ rate_l + Σ_{j on l} added_j·u_j       (transmission)
//             import_dh = base_dh + ch_dh − dis_dh − shed_dh ≤ cap_d + Σ_k added_k·v_k       (each DSO)
//             E_dh = E_d,h−1 + ch_dh − dis_dh (cyclic), 0 ≤ E ≤ flexMwh, ch, dis ≤ flexMw
// Quadratic generator costs are linearised by secants over [Pmin, Pmax] (SEGMENTS pieces), the same in both plans.
// Sequential: (1) the TSO plans transmission with each DSO at its inflexible base import and its substation limit
// unseen; (2) with that transmission fixed, the DSOs choose upgrades and flexibility. The joint optimum is
// feasible for neither stage alone but every sequential plan is feasible for it, so joint ≤ sequential.
import { z } from 'zod';
import { InputError, parseInput } from '../../core/errors.ts';
import { DC } from '../../formulations/dc.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { Network } from '../../grid/schema.ts';
import { ProblemBuilder, solveOptimisation } from '../../numeric/optimisation/index.ts';

const SEGMENTS = 4;
const HOURS = 24;

const upgrade = z.object({
  id: z.string().min(1),
  addedMw: z.number().positive(),
  annualisedEur: z.number().min(0),
});

export const jointStudySchema = z
  .object({
    jointStudyVersion: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    transmissionCase: z.string().min(1),
    /** Load factor per hour of the representative day (× the case loads); the day stands for `daysPerYear`. */
    loadShape: z.array(z.number().min(0)).length(HOURS),
    daysPerYear: z.number().positive().default(365),
    valueOfLostLoadEurPerMwh: z.number().positive().default(3000),
    ratings: z.array(z.object({ fromBus: z.number(), toBus: z.number(), rateMw: z.number().positive() })),
    transmissionCandidates: z.array(upgrade.extend({ fromBus: z.number(), toBus: z.number() })),
    dsos: z
      .array(
        z.object({
          id: z.string().min(1),
          bus: z.number(),
          shareOfBusLoad: z.number().min(0).max(1),
          substationMw: z.number().positive(),
          flexMw: z.number().min(0),
          flexMwh: z.number().min(0),
          upgrades: z.array(upgrade),
        }),
      )
      .min(1),
  })
  .strict();
export type JointStudy = z.infer<typeof jointStudySchema>;

export const parseJointStudy = (value: unknown, prefix: readonly (string | number)[] = []): JointStudy =>
  parseInput(jointStudySchema, value, prefix);

export interface JointPlan {
  readonly status: string;
  readonly totalCostEurPerYr: number;
  readonly capexEurPerYr: number;
  readonly operationEurPerYr: number;
  readonly transmissionUpgrades: readonly string[];
  readonly distributionUpgrades: readonly string[];
  readonly shedMwh: number;
}

interface Fixed {
  readonly transmission?: readonly boolean[];
  /** The TSO's stage: DSOs at their base import, substation limits and their upgrades left out. */
  readonly isTsoStage?: boolean;
}

/** Build and solve the planning MILP with some decisions fixed. */
async function solvePlanning(study: JointStudy, network: Network, fixed: Fixed): Promise<JointPlan> {
  const rated = network.branches.map((b) => {
    const r = study.ratings.find(
      (x) => String(x.fromBus) === String(b.fromBus) && String(x.toBus) === String(b.toBus),
    );
    return r ? { ...b, rateAMva: r.rateMw } : b;
  });
  const net = indexNetwork({ ...network, branches: rated });
  const constraints = DC.linearConstraints(DC.buildModel(net));
  const branchOf = (from: number, to: number, path: (string | number)[]) => {
    const k = Array.from(net.branchPosition).findIndex((p) => {
      const b = rated[p];
      return String(b.fromBus) === String(from) && String(b.toBus) === String(to);
    });
    if (k < 0) throw InputError.single('unknown_branch', path, `no in-service branch ${from}–${to}`);
    return k;
  };
  const busOf = (bus: number, path: (string | number)[]) => {
    const i = net.busIndexById.get(bus as never) ?? net.busIndexById.get(String(bus) as never);
    if (i === undefined) throw InputError.single('unknown_bus', path, `no bus ${bus}`);
    return i;
  };
  const W = study.daysPerYear;
  const b = new ProblemBuilder();
  /** (charge, discharge) columns per DSO and hour. */
  const flex: [number, number][][] = study.dsos.map(() => []);
  const u = study.transmissionCandidates.map((c, j) => {
    const f = fixed.transmission?.[j];
    return b.addColumn(f === true ? 1 : 0, f === false ? 0 : 1, c.annualisedEur, `u_${c.id}`, true);
  });
  const v = study.dsos.map((d) =>
    d.upgrades.map((k) =>
      b.addColumn(0, fixed.isTsoStage ? 0 : 1, k.annualisedEur, `v_${d.id}_${k.id}`, true),
    ),
  );
  const dsoBus = study.dsos.map((d, i) => busOf(d.bus, ['dsos', i, 'bus']));
  const candidateBranch = study.transmissionCandidates.map((c, j) =>
    branchOf(c.fromBus, c.toBus, ['transmissionCandidates', j]),
  );
  const shedCols: number[] = [];
  for (let h = 0; h < HOURS; h++) {
    const s = study.loadShape[h];
    const theta = Array.from({ length: net.busCount }, (_, i) =>
      b.addColumn(constraints.variableLower[i], constraints.variableUpper[i]),
    );
    const cols: number[][] = Array.from({ length: net.busCount }, () => []);
    const vals: number[][] = Array.from({ length: net.busCount }, () => []);
    for (let g = 0; g < net.generatorCount; g++) {
      const cost = net.generatorCost[g];
      const lo = net.pGenMinMw[g];
      const hi = net.pGenMaxMw[g];
      const c = (p: number) =>
        cost?.kind === 'polynomial' ? cost.c0PerH + cost.c1PerMwh * p + cost.c2PerMw2H * p * p : 0;
      b.addOffset(W * c(lo));
      const bus = net.generatorBus[g];
      cols[bus].push(b.addColumn(lo, lo));
      vals[bus].push(1);
      for (let k = 0; k < SEGMENTS; k++) {
        const a = lo + ((hi - lo) * k) / SEGMENTS;
        const z2 = lo + ((hi - lo) * (k + 1)) / SEGMENTS;
        cols[bus].push(b.addColumn(0, z2 - a, (W * (c(z2) - c(a))) / (z2 - a)));
        vals[bus].push(1);
      }
    }
    const rhs = Array.from(net.pLoadMw, (p) => p * s);
    study.dsos.forEach((d, i) => {
      const base = net.pLoadMw[dsoBus[i]] * s * d.shareOfBusLoad;
      rhs[dsoBus[i]] -= base;
      if (fixed.isTsoStage) {
        rhs[dsoBus[i]] += base;
        return;
      }
      // import = base + ch − dis − shed enters the balance as load.
      const ch = b.addColumn(0, d.flexMw);
      const dis = b.addColumn(0, d.flexMw);
      const shed = b.addColumn(0, base, W * study.valueOfLostLoadEurPerMwh);
      shedCols.push(shed);
      cols[dsoBus[i]].push(ch, dis, shed);
      vals[dsoBus[i]].push(-1, 1, 1);
      rhs[dsoBus[i]] += base;
      b.addRow(
        Number.NEGATIVE_INFINITY,
        d.substationMw - base,
        [ch, dis, shed, ...v[i]],
        [1, -1, -1, ...d.upgrades.map((k) => -k.addedMw)],
      );
      flex[i].push([ch, dis]);
    });
    for (let i = 0; i < net.busCount; i++) {
      const inj = constraints.busInjectionMw[i];
      inj.variables.forEach((x, j) => {
        cols[i].push(theta[x]);
        vals[i].push(-inj.coefficients[j]);
      });
      const r = rhs[i] + net.gShuntMw[i] + inj.constant;
      b.addRow(r, r, cols[i], vals[i]);
    }
    for (let k = 0; k < net.branchCount; k++) {
      const rate = net.branchRateMva[k];
      if (!(rate > 0)) continue;
      const flow = constraints.branchFlowMw[k];
      const terms = Array.from(flow.variables, (x) => theta[x]);
      const coef = Array.from(flow.coefficients);
      const up = study.transmissionCandidates.flatMap((c, j) =>
        candidateBranch[j] === k ? [[u[j], c.addedMw]] : [],
      );
      b.addRow(
        Number.NEGATIVE_INFINITY,
        rate - flow.constant,
        [...terms, ...up.map((x) => x[0])],
        [...coef, ...up.map((x) => -x[1])],
      );
      b.addRow(
        -rate - flow.constant,
        Number.POSITIVE_INFINITY,
        [...terms, ...up.map((x) => x[0])],
        [...coef, ...up.map((x) => x[1])],
      );
    }
  }
  // Cyclic energy of each DSO's flexibility: E_h = E_{h−1} + ch_h − dis_h, 0 ≤ E_h ≤ flexMwh.
  study.dsos.forEach((d, i) => {
    if (fixed.isTsoStage) return;
    const e = Array.from({ length: HOURS }, () => b.addColumn(0, d.flexMwh));
    for (let h = 0; h < HOURS; h++) {
      const [ch, dis] = flex[i][h];
      b.addRow(0, 0, [e[h], e[(h + HOURS - 1) % HOURS], ch, dis], [1, -1, -1, 1]);
    }
  });
  const r = await solveOptimisation(b.build(), { mipRelativeGap: 1e-9 });
  if (r.status !== 'optimal')
    return {
      status: r.status,
      totalCostEurPerYr: Number.NaN,
      capexEurPerYr: Number.NaN,
      operationEurPerYr: Number.NaN,
      transmissionUpgrades: [],
      distributionUpgrades: [],
      shedMwh: Number.NaN,
    };
  const built = (cols: readonly number[]) => cols.map((c) => r.x[c] > 0.5);
  const tBuilt = built(u);
  const capexT = study.transmissionCandidates.reduce((a, c, j) => a + (tBuilt[j] ? c.annualisedEur : 0), 0);
  const dBuilt = study.dsos.flatMap((d, i) =>
    d.upgrades.map((k, m) => ({ id: `${d.id}/${k.id}`, eur: k.annualisedEur, on: r.x[v[i][m]] > 0.5 })),
  );
  const capexD = dBuilt.reduce((a, x) => a + (x.on ? x.eur : 0), 0);
  return {
    status: 'optimal',
    totalCostEurPerYr: r.objective,
    capexEurPerYr: capexT + capexD,
    operationEurPerYr: r.objective - capexT - capexD,
    transmissionUpgrades: study.transmissionCandidates.filter((_, j) => tBuilt[j]).map((c) => c.id),
    distributionUpgrades: dBuilt.filter((x) => x.on).map((x) => x.id),
    shedMwh: W * shedCols.reduce((a, c) => a + r.x[c], 0),
  };
}

export interface JointComparison {
  readonly study: string;
  readonly sequential: JointPlan & { readonly tsoStageUpgrades: readonly string[] };
  readonly joint: JointPlan;
  readonly savingEurPerYr: number;
  readonly iterations: { readonly sequential: number; readonly joint: number };
}

/** Plan the study sequentially (TSO first, then DSOs) and jointly; `onProgress(done, 3)` after each MILP. */
export async function compareJointPlanning(
  study: JointStudy,
  network: Network,
  onProgress?: (done: number, total: number) => void,
): Promise<JointComparison> {
  const tso = await solvePlanning(study, network, { isTsoStage: true });
  onProgress?.(1, 3);
  if (tso.status !== 'optimal')
    throw InputError.single('infeasible', ['transmissionCandidates'], `TSO stage ${tso.status}`);
  const chosen = study.transmissionCandidates.map((c) => tso.transmissionUpgrades.includes(c.id));
  const sequential = await solvePlanning(study, network, { transmission: chosen });
  onProgress?.(2, 3);
  const joint = await solvePlanning(study, network, {});
  onProgress?.(3, 3);
  return {
    study: study.name,
    sequential: { ...sequential, tsoStageUpgrades: tso.transmissionUpgrades },
    joint,
    savingEurPerYr: sequential.totalCostEurPerYr - joint.totalCostEurPerYr,
    iterations: { sequential: 2, joint: 1 },
  };
}
