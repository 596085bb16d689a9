// Linearisation of a radial feeder around an AC operating point: marginal loss factors, flow and voltage sensitivities.
//
// Given per-bus net consumption c⁰ (MW, MVAr; generation negative) an AC power flow gives voltages |V⁰|, the
// parent-branch flows P⁰_b, Q⁰_b (sending end) and the series losses L⁰. Around that point, for consumption c:
//   losses   L(c)   ≈ L⁰ + Σ_i LF_i·(c_i − c⁰_i)
//   flows    P_b(c) ≈ P⁰_b + Σ_{i below b} (c_i − c⁰_i)                  (LinDistFlow flow sensitivity, = −∂P_b/∂p_i)
//   voltages |V_j|(c) ≈ |V⁰_j| + Σ_i S_ji·(c_i − c⁰_i),  S_ji = −∂|V_j|/∂p_i  (LinDistFlow, at |V⁰|, see formulations)
// The marginal loss factor LF_i = ∂P_slack/∂c_i − 1 follows the DistFlow branch loss r·(P² + Q²)/|V|² up the
// path: with the sending-end flow P_b = P_recv + r_b·(P_b² + Q_b²)/(baseMva·|V_send|²),
//   ∂P_b/∂P_recv = 1 / (1 − 2·r_b·P_b/(baseMva·|V_send|²)),   1 + LF_i = Π_{b on path(slack → i)} ∂P_b/∂P_recv
// plus the effect of the voltage change on every branch's loss, Σ_b (−2·L_b/|V_send(b)|)·∂|V_send(b)|/∂c_i
// (reactive flows held at the operating point). It is checked against a finite difference of the
// AC power flow in dlmp.test.ts.
//
// Formulations used: AC polar through the Newton–Raphson power flow (the operating point), LinDistFlow for the
// tree, the sensitivities (evaluated at the AC voltages) and, when losses are off or AC fails, the operating point.
import type { PolarState } from '../../formulations/formulation.ts';
import { LIN_DIST_FLOW, type LinDistFlowModel, solveLinDistFlow } from '../../formulations/lin-dist-flow.ts';
import { BUS_SLACK, type IndexedNetwork } from '../../grid/indexed-network.ts';
import type { Network } from '../../grid/schema.ts';
import { type PreparedPowerFlow, preparePowerFlow } from '../power-flow/index.ts';

/** A frozen linearisation: everything the DLMP LP needs from the network at an operating point. */
export interface FeederLinearisation {
  readonly busCount: number;
  /** Net consumption at the operating point (MW / MVAr per bus, generation negative, shunts excluded). */
  readonly netLoadMw: Float64Array;
  readonly netLoadMvar: Float64Array;
  /** Voltage magnitude at the operating point (p.u.). */
  readonly vmPu: Float64Array;
  /** Parent-branch flow of each bus at its parent end (MW / MVAr, parent → child); 0 at the slack. */
  readonly pParentBranchMw: Float64Array;
  readonly qParentBranchMvar: Float64Array;
  /** Series losses at the operating point (MW) and marginal loss factors ∂L/∂c_i (MW/MW; 0 at the slack). */
  readonly lossesMw: number;
  readonly lossFactor: Float64Array;
  /** sensitivity[i][j] = S_ji = ∂|V_j|/∂c_i (p.u./MW of consumption at i), column per consuming bus i. */
  readonly voltageSensitivity: readonly Float64Array[];
  /** Whether the AC power flow converged (false: LinDistFlow point used). */
  readonly isAcConverged: boolean;
}

/** The radial feeder with its LinDistFlow model and a prepared AC power flow, built once per network. */
export interface FeederModel {
  readonly network: Network;
  readonly net: IndexedNetwork;
  readonly lin: LinDistFlowModel;
  readonly powerFlow: PreparedPowerFlow;
  /** Fixed setpoints of non-slack generators per bus (MW / MVAr), which the AC power flow always injects. */
  readonly fixedGenMw: Float64Array;
  readonly fixedGenMvar: Float64Array;
}

/** Each bus's parent-branch rating (MVA; 0 at the root and on unrated branches): DlmpProblemSpec.parentRateMva. */
export function parentBranchRatesMva(feeder: FeederModel): Float64Array {
  const { net, lin } = feeder;
  return Float64Array.from(lin.tree.parentBranch, (k) => (k >= 0 ? net.branchRateMva[k] : 0));
}

/** Build the feeder model (throws InputError when the network is not radial with one slack bus). */
export function buildFeederModel(network: Network): FeederModel {
  const powerFlow = preparePowerFlow(network, { method: 'nr' });
  const net = powerFlow.indexed;
  const lin = LIN_DIST_FLOW.buildModel(net);
  const fixedGenMw = new Float64Array(net.busCount);
  const fixedGenMvar = new Float64Array(net.busCount);
  for (let g = 0; g < net.generatorCount; g++) {
    const i = net.generatorBus[g];
    if (net.busType[i] === BUS_SLACK) continue;
    fixedGenMw[i] += net.pGenMw[g];
    fixedGenMvar[i] += net.qGenMvar[g];
  }
  return { network, net, lin, powerFlow, fixedGenMw, fixedGenMvar };
}

/**
 * Linearise at the net consumption c⁰ (per bus, generation negative; the fixed generator setpoints of the
 * network are part of c⁰). With `isLossless` the point is the LinDistFlow solution with zero losses and loss
 * factors; otherwise an AC power flow (Newton–Raphson), falling back to LinDistFlow if it does not converge.
 */
export function lineariseFeeder(
  model: FeederModel,
  netLoadMw: Float64Array,
  netLoadMvar: Float64Array,
  isLossless = false,
): FeederLinearisation {
  const { net, lin } = model;
  const n = net.busCount;
  const tree = lin.tree;
  const base = net.baseMva;
  if (!isLossless) {
    const pLoad = Float64Array.from(netLoadMw, (c, i) => c + model.fixedGenMw[i]);
    const qLoad = Float64Array.from(netLoadMvar, (c, i) => c + model.fixedGenMvar[i]);
    const ac = model.powerFlow.solveArrays({ pLoadMw: pLoad, qLoadMvar: qLoad });
    if (ac.outcome.converged) {
      const pParent = new Float64Array(n);
      const qParent = new Float64Array(n);
      const gain = new Float64Array(n);
      const root = tree.order[0];
      gain[root] = 1;
      for (let t = 1; t < n; t++) {
        const c = tree.order[t];
        const k = tree.parentBranch[c];
        const p = tree.parentBus[c];
        const isFrom = tree.parentIsFrom[c] === 1;
        pParent[c] = isFrom ? ac.pFromMw[k] : ac.pToMw[k];
        qParent[c] = isFrom ? ac.qFromMvar[k] : ac.qToMvar[k];
        // The series impedance sees the parent voltage divided by the tap when the tap is at the parent side.
        const vSend = isFrom ? ac.vmPu[p] / net.branchTap[k] : ac.vmPu[p];
        const slope = (2 * net.branchRPu[k] * pParent[c]) / (base * vSend * vSend);
        gain[c] = gain[p] / (1 - slope);
      }
      const voltageSensitivity = consumptionSensitivities(lin, ac);
      // Voltage effect: ∂L/∂|V_send(b)| = −2·loss_b/|V_send(b)| for every branch, times ∂|V_send|/∂c_i.
      const lossPerVolt = new Float64Array(n);
      for (let t = 1; t < n; t++) {
        const c = tree.order[t];
        const p = tree.parentBus[c];
        lossPerVolt[p] -= (2 * ac.pLossMw[tree.parentBranch[c]]) / ac.vmPu[p];
      }
      const lossFactor = Float64Array.from(gain, (g, i) => {
        let viaVoltage = 0;
        const column = voltageSensitivity[i];
        for (let j = 0; j < n; j++) if (lossPerVolt[j] !== 0) viaVoltage += lossPerVolt[j] * column[j];
        return g - 1 + viaVoltage;
      });
      return {
        busCount: n,
        netLoadMw: Float64Array.from(netLoadMw),
        netLoadMvar: Float64Array.from(netLoadMvar),
        vmPu: Float64Array.from(ac.vmPu),
        pParentBranchMw: pParent,
        qParentBranchMvar: qParent,
        lossesMw: ac.lossesMw,
        lossFactor,
        voltageSensitivity,
        isAcConverged: true,
      };
    }
  }
  const sol = solveLinDistFlow(lin, netLoadMw, netLoadMvar);
  return {
    busCount: n,
    netLoadMw: Float64Array.from(netLoadMw),
    netLoadMvar: Float64Array.from(netLoadMvar),
    vmPu: sol.vmPu,
    pParentBranchMw: sol.pParentBranchMw,
    qParentBranchMvar: sol.qParentBranchMvar,
    lossesMw: 0,
    lossFactor: new Float64Array(n),
    voltageSensitivity: consumptionSensitivities(lin, LIN_DIST_FLOW.busVoltages(lin, sol)),
    isAcConverged: false,
  };
}

/** S_ji = ∂|V_j|/∂c_i = −∂|V_j|/∂p_i for every bus i (n × n; meant for feeders of up to a few hundred buses). */
function consumptionSensitivities(lin: LinDistFlowModel, voltages: PolarState): Float64Array[] {
  const n = lin.net.busCount;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const { dVmDpPuPerMw } = LIN_DIST_FLOW.voltageSensitivities(lin, voltages, all);
  return dVmDpPuPerMw.map((column) => column.map((v) => -v));
}
