// LinDistFlow: the lossless linearisation of the DistFlow equations of a radial feeder (Baran & Wu 1989, IEEE
// Trans. Power Delivery 4(2); linear form as in Farivar, Chen & Low 2013, "Equilibrium and dynamics of local
// voltage control in distribution systems", eqs. (2)–(3)).
//
// For the branch b from parent p to child c, with v = |V|² (p.u.):
//   P_b = Σ_{j ∈ subtree(c)} (pLoad_j − pGen_j),   Q_b likewise   (flows from parent to child, losses neglected)
//   v_c = v_p / τ_b² − 2·(r_b·P_b + x_b·Q_b)
// Bus shunts and line charging count as constant reactive/active loads at 1 p.u.; phase shifts are ignored.
// Sensitivities to a net injection p_k (MW, positive = generation) follow in closed form:
//   ∂P_b/∂p_k = −1 if k lies below b, else 0;   ∂v_j/∂p_k = 2·S_j·Σ_{b on path(root→lca(j,k))} r_b / S_b
// where S_u = Π of the v-ratios (1/τ² or τ²) of the transformers on the path to u, S_b that of the side of the
// transformer on which b's series impedance sits, and ∂|V_j| = ∂v_j / (2·|V_j|).
// As a formulation (`LIN_DIST_FLOW`): the state is v per bus and P, Q per branch (a LinDistFlowSolution); it is
// lossless and radial-only, has no angles (θ = 0), and lumps line charging into the bus shunts at 1 p.u.
import { BUS_SLACK, type IndexedNetwork } from '../grid/indexed-network.ts';
import { buildRadialTree, type RadialTree } from '../grid/radial-tree.ts';
import type { BranchFlows, BusPowers, Formulation } from './formulation.ts';

export interface LinDistFlowModel {
  readonly net: IndexedNetwork;
  readonly tree: RadialTree;
  /** Voltage-squared scaling S_u (product of 1/τ² down the path). */
  readonly scaling: Float64Array;
  /** Σ r_b / S_b and Σ x_b / S_b along the path from the slack to each bus (p.u.). */
  readonly pathResistancePu: Float64Array;
  readonly pathReactancePu: Float64Array;
  /** Euler-tour interval of each bus: k is in the subtree of c iff enter[c] ≤ enter[k] < leave[c]. */
  readonly enter: Int32Array;
  readonly leave: Int32Array;
  /** Constant shunt load per bus at 1 p.u. (MW consumed, MVAr consumed), from bus shunts and line charging. */
  readonly shuntPMw: Float64Array;
  readonly shuntQMvar: Float64Array;
}

export interface LinDistFlowSolution {
  readonly vmPu: Float64Array;
  readonly vSquaredPu: Float64Array;
  /** Flow on each bus's parent branch from parent to child (MW / MVAr); 0 at the slack. */
  readonly pParentBranchMw: Float64Array;
  readonly qParentBranchMvar: Float64Array;
  /** Slack injection (MW / MVAr) = total net load (lossless). */
  readonly pSlackMw: number;
  readonly qSlackMvar: number;
}

/** Build the LinDistFlow model of a radial network (throws InputError if it is not radial). */
export function buildLinDistFlow(net: IndexedNetwork): LinDistFlowModel {
  const tree = buildRadialTree(net);
  const n = net.busCount;
  const scaling = new Float64Array(n);
  const pathResistancePu = new Float64Array(n);
  const pathReactancePu = new Float64Array(n);
  const root = tree.order[0];
  scaling[root] = 1;
  for (let t = 1; t < n; t++) {
    const c = tree.order[t];
    const k = tree.parentBranch[c];
    const p = tree.parentBus[c];
    // The tap sits at the from side: going from → to divides v by τ², going to → from multiplies by τ².
    const tau2 = net.branchTap[k] * net.branchTap[k];
    scaling[c] = tree.parentIsFrom[c] ? scaling[p] / tau2 : scaling[p] * tau2;
    // The series impedance sits on the child side of a parent-side tap and on the parent side of a child-side tap.
    const seriesScaling = tree.parentIsFrom[c] ? scaling[c] : scaling[p];
    pathResistancePu[c] = pathResistancePu[p] + net.branchRPu[k] / seriesScaling;
    pathReactancePu[c] = pathReactancePu[p] + net.branchXPu[k] / seriesScaling;
  }
  const { enter, leave } = eulerIntervals(tree, n);
  const shuntPMw = Float64Array.from(net.gShuntMw);
  const shuntQMvar = Float64Array.from(net.bShuntMvar, (b) => -b);
  for (let k = 0; k < net.branchCount; k++) {
    const halfBMvar = (net.branchBPu[k] / 2) * net.baseMva;
    const tau = net.branchTap[k];
    shuntQMvar[net.branchFrom[k]] -= halfBMvar / (tau * tau);
    shuntQMvar[net.branchTo[k]] -= halfBMvar;
  }
  return { net, tree, scaling, pathResistancePu, pathReactancePu, enter, leave, shuntPMw, shuntQMvar };
}

/** Pre-order (depth-first) entry and exit times, from the parent links of the breadth-first tree. */
function eulerIntervals(tree: RadialTree, n: number): { enter: Int32Array; leave: Int32Array } {
  const childStart = new Int32Array(n + 1);
  for (let t = 1; t < n; t++) childStart[tree.parentBus[tree.order[t]] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(n - 1, 0));
  for (let t = 1; t < n; t++) children[fill[tree.parentBus[tree.order[t]]]++] = tree.order[t];
  const enter = new Int32Array(n);
  const leave = new Int32Array(n);
  const stack = new Int32Array(n);
  const next = childStart.slice(0, n);
  let top = 0;
  let clock = 0;
  stack[0] = tree.order[0];
  enter[tree.order[0]] = clock++;
  while (top >= 0) {
    const u = stack[top];
    if (next[u] < childStart[u + 1]) {
      const c = children[next[u]++];
      enter[c] = clock++;
      stack[++top] = c;
    } else {
      leave[u] = clock;
      top--;
    }
  }
  return { enter, leave };
}

/**
 * Solve LinDistFlow for net loads per bus (MW / MVAr consumed, generation negative) with the slack held at its
 * start voltage. Loads default to the network's loads minus fixed generator setpoints at non-slack buses.
 */
export function solveLinDistFlow(
  model: LinDistFlowModel,
  netLoadMw: Float64Array = defaultNetLoad(model.net).pMw,
  netLoadMvar: Float64Array = defaultNetLoad(model.net).qMvar,
): LinDistFlowSolution {
  const { net, tree } = model;
  const n = net.busCount;
  const base = net.baseMva;
  const pParentBranchMw = new Float64Array(n);
  const qParentBranchMvar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pParentBranchMw[i] = netLoadMw[i] + model.shuntPMw[i];
    qParentBranchMvar[i] = netLoadMvar[i] + model.shuntQMvar[i];
  }
  for (let t = n - 1; t > 0; t--) {
    const c = tree.order[t];
    pParentBranchMw[tree.parentBus[c]] += pParentBranchMw[c];
    qParentBranchMvar[tree.parentBus[c]] += qParentBranchMvar[c];
  }
  const root = tree.order[0];
  const pSlackMw = pParentBranchMw[root];
  const qSlackMvar = qParentBranchMvar[root];
  pParentBranchMw[root] = 0;
  qParentBranchMvar[root] = 0;
  const vSquaredPu = new Float64Array(n);
  vSquaredPu[root] = net.vmStartPu[root] ** 2;
  for (let t = 1; t < n; t++) {
    const c = tree.order[t];
    const k = tree.parentBranch[c];
    const p = tree.parentBus[c];
    const drop =
      (2 * (net.branchRPu[k] * pParentBranchMw[c] + net.branchXPu[k] * qParentBranchMvar[c])) / base;
    const ratio = model.scaling[c] / model.scaling[p];
    // Tap at the parent (from) side: v_c = v_p/τ² − drop; tap at the child side: v_c = τ²·(v_p − drop).
    vSquaredPu[c] = tree.parentIsFrom[c] ? ratio * vSquaredPu[p] - drop : ratio * (vSquaredPu[p] - drop);
  }
  return {
    vmPu: vSquaredPu.map(Math.sqrt),
    vSquaredPu,
    pParentBranchMw,
    qParentBranchMvar,
    pSlackMw,
    qSlackMvar,
  };
}

/** Network loads minus the fixed setpoints of generators at non-slack buses (MW / MVAr). */
export function defaultNetLoad(net: IndexedNetwork): { pMw: Float64Array; qMvar: Float64Array } {
  const pMw = Float64Array.from(net.pLoadMw);
  const qMvar = Float64Array.from(net.qLoadMvar);
  for (let g = 0; g < net.generatorCount; g++) {
    const i = net.generatorBus[g];
    if (net.busType[i] === BUS_SLACK) continue;
    pMw[i] -= net.pGenMw[g];
    qMvar[i] -= net.qGenMvar[g];
  }
  return { pMw, qMvar };
}

/** True when bus k lies in the subtree fed through the parent branch of bus c (so ∂P_branch(c)/∂p_k = −1). */
export function isDownstream(model: LinDistFlowModel, c: number, k: number): boolean {
  return model.enter[c] <= model.enter[k] && model.enter[k] < model.leave[c];
}

/**
 * Voltage-magnitude sensitivities to net injections at the given buses: columns[m][j] = ∂|V_j|/∂p_k (p.u./MW)
 * and ∂|V_j|/∂q_k (p.u./MVAr) for k = injectionBuses[m], linearised at vmPu (e.g. a LinDistFlow or AC solution).
 * Memory is n × injectionBuses.length; request only the columns you need on large feeders.
 */
export function computeVoltageSensitivities(
  model: LinDistFlowModel,
  injectionBuses: ArrayLike<number>,
  vmPu: Float64Array,
): { dVmDpPuPerMw: Float64Array[]; dVmDqPuPerMvar: Float64Array[] } {
  const { net, tree } = model;
  const n = net.busCount;
  const base = net.baseMva;
  const onPath = new Uint8Array(n);
  const commonR = new Float64Array(n);
  const commonX = new Float64Array(n);
  const dVmDpPuPerMw: Float64Array[] = [];
  const dVmDqPuPerMvar: Float64Array[] = [];
  for (let m = 0; m < injectionBuses.length; m++) {
    const k = injectionBuses[m];
    onPath.fill(0);
    for (let u = k; u >= 0; u = tree.parentBus[u]) onPath[u] = 1;
    const columnP = new Float64Array(n);
    const columnQ = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const j = tree.order[t];
      // Path resistance up to the deepest common ancestor of j and k.
      if (onPath[j] || t === 0) {
        commonR[j] = model.pathResistancePu[j];
        commonX[j] = model.pathReactancePu[j];
      } else {
        commonR[j] = commonR[tree.parentBus[j]];
        commonX[j] = commonX[tree.parentBus[j]];
      }
      const factor = (2 * model.scaling[j]) / (2 * vmPu[j] * base);
      columnP[j] = factor * commonR[j];
      columnQ[j] = factor * commonX[j];
    }
    dVmDpPuPerMw.push(columnP);
    dVmDqPuPerMvar.push(columnQ);
  }
  return { dVmDpPuPerMw, dVmDqPuPerMvar };
}

/** Branch flows at both ends from the parent-branch flows: lossless, so the to end carries minus the from end. */
function linDistFlowBranchFlows(model: LinDistFlowModel, state: LinDistFlowSolution): BranchFlows {
  const { net, tree } = model;
  const m = net.branchCount;
  const flows = {
    pFromMw: new Float64Array(m),
    qFromMvar: new Float64Array(m),
    pToMw: new Float64Array(m),
    qToMvar: new Float64Array(m),
  };
  for (let t = 1; t < net.busCount; t++) {
    const c = tree.order[t];
    const k = tree.parentBranch[c];
    const p = state.pParentBranchMw[c];
    const q = state.qParentBranchMvar[c];
    const sign = tree.parentIsFrom[c] ? 1 : -1;
    flows.pFromMw[k] = sign * p;
    flows.qFromMvar[k] = sign * q;
    flows.pToMw[k] = -sign * p;
    flows.qToMvar[k] = -sign * q;
  }
  return flows;
}

/** Bus balance of the DistFlow tree: injection = Σ children flows − parent flow + shunt consumption. */
function linDistFlowInjections(model: LinDistFlowModel, state: LinDistFlowSolution): BusPowers {
  const { net, tree } = model;
  const pMw = Float64Array.from(model.shuntPMw);
  const qMvar = Float64Array.from(model.shuntQMvar);
  for (let t = 1; t < net.busCount; t++) {
    const c = tree.order[t];
    pMw[c] -= state.pParentBranchMw[c];
    qMvar[c] -= state.qParentBranchMvar[c];
    pMw[tree.parentBus[c]] += state.pParentBranchMw[c];
    qMvar[tree.parentBus[c]] += state.qParentBranchMvar[c];
  }
  return { pMw, qMvar };
}

/** The LinDistFlow formulation of a radial feeder. */
export const LIN_DIST_FLOW: Formulation<LinDistFlowModel, LinDistFlowSolution> = {
  name: 'lin-dist-flow',
  isLossless: true,
  hasReactivePower: true,
  isRadialOnly: true,
  buildModel: buildLinDistFlow,
  stateLayout: ({ net }) => [
    { name: 'v', unit: 'p.u.²', per: 'bus', count: net.busCount },
    { name: 'p', unit: 'MW', per: 'branch', count: net.branchCount },
    { name: 'q', unit: 'MVAr', per: 'branch', count: net.branchCount },
  ],
  busVoltages: ({ net }, { vmPu }) => ({ vmPu, vaRad: new Float64Array(net.busCount) }),
  busInjections: linDistFlowInjections,
  shunts: (model) => ({
    pMw: Float64Array.from(model.shuntPMw),
    qMvar: Float64Array.from(model.shuntQMvar, (q) => -q),
  }),
  branchFlows: linDistFlowBranchFlows,
  losses: ({ net }) => ({
    pLossMw: new Float64Array(net.branchCount),
    qLossMvar: new Float64Array(net.branchCount),
  }),
  voltageSensitivities: (model, { vmPu }, injectionBuses) =>
    computeVoltageSensitivities(model, injectionBuses, vmPu),
  // An injection below a branch relieves it one for one: ∂P_parent(c)/∂p_k = −1 when k is downstream of c.
  flowSensitivities: (model, _state, injectionBuses) =>
    Array.from(injectionBuses, (k) => {
      const column = new Float64Array(model.net.branchCount);
      for (let t = 1; t < model.net.busCount; t++) {
        const c = model.tree.order[t];
        if (isDownstream(model, c, k))
          column[model.tree.parentBranch[c]] = model.tree.parentIsFrom[c] ? -1 : 1;
      }
      return column;
    }),
};
