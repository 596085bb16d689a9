// AC polar formulation: bus admittance matrix (MATPOWER π model), complex power injections and branch flows.
//
// Ybus follows MATPOWER makeYbus (Zimmerman et al., MATPOWER manual §3.2): for a branch with series admittance
// ys = 1/(r + jx), charging b and complex tap N = τ·e^{jθshift} at the from side,
//   Yff = (ys + jb/2)/τ²,  Yft = −ys/conj(N),  Ytf = −ys/N,  Ytt = ys + jb/2.
// Bus shunts add (gMw + j·bMvar)/baseMva on the diagonal (bMvar injected at 1 p.u. ⇒ positive susceptance).
// As a formulation (`AC_POLAR`): the state is |V| and θ per bus (with the rectangular V = |V|·e^{jθ} derived once),
// the power balance is S = V·conj(Ybus·V), flows and series losses are exact; it is lossy and meshed-capable.
import type { IndexedNetwork } from '../grid/indexed-network.ts';
import { type AssemblyPlan, type CscMatrix, createAssemblyPlan } from '../numeric/sparse/index.ts';
import { computeAcFlowSensitivities, computeAcVoltageSensitivities } from './ac-polar-sensitivities.ts';
import type { BranchFlows, BusPowers, PolarFormulation, PolarState, SeriesLosses } from './formulation.ts';

export type { BranchFlows } from './formulation.ts';

/** Branch admittance parameters of each in-service branch (p.u.), real and imaginary parts. */
export interface BranchAdmittances {
  readonly yffRe: Float64Array;
  readonly yffIm: Float64Array;
  readonly yftRe: Float64Array;
  readonly yftIm: Float64Array;
  readonly ytfRe: Float64Array;
  readonly ytfIm: Float64Array;
  readonly yttRe: Float64Array;
  readonly yttIm: Float64Array;
}

/** Complex Ybus: one CSC pattern with separate real (G) and imaginary (B) value arrays. */
export interface AdmittanceMatrix {
  readonly pattern: CscMatrix;
  readonly gPu: Float64Array;
  readonly bPu: Float64Array;
  readonly branch: BranchAdmittances;
}

/** Per-branch admittances of the π model with off-nominal tap and phase shift. */
export function computeBranchAdmittances(net: IndexedNetwork): BranchAdmittances {
  const m = net.branchCount;
  const out = {
    yffRe: new Float64Array(m),
    yffIm: new Float64Array(m),
    yftRe: new Float64Array(m),
    yftIm: new Float64Array(m),
    ytfRe: new Float64Array(m),
    ytfIm: new Float64Array(m),
    yttRe: new Float64Array(m),
    yttIm: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    const r = net.branchRPu[k];
    const x = net.branchXPu[k];
    const denominator = r * r + x * x;
    const ysRe = r / denominator;
    const ysIm = -x / denominator;
    const halfB = net.branchBPu[k] / 2;
    const tau = net.branchTap[k];
    const cosS = Math.cos(net.branchShiftRad[k]);
    const sinS = Math.sin(net.branchShiftRad[k]);
    out.yttRe[k] = ysRe;
    out.yttIm[k] = ysIm + halfB;
    out.yffRe[k] = ysRe / (tau * tau);
    out.yffIm[k] = (ysIm + halfB) / (tau * tau);
    // −ys / conj(N) = −ys·N/τ² = −ys·(cos + j sin)/τ
    out.yftRe[k] = -(ysRe * cosS - ysIm * sinS) / tau;
    out.yftIm[k] = -(ysRe * sinS + ysIm * cosS) / tau;
    // −ys / N = −ys·(cos − j sin)/τ
    out.ytfRe[k] = -(ysRe * cosS + ysIm * sinS) / tau;
    out.ytfIm[k] = -(ysIm * cosS - ysRe * sinS) / tau;
  }
  return out;
}

/** Assembly plan of Ybus: diagonal entries first (one per bus), then four per branch (ff, ft, tf, tt). */
export function createAdmittancePlan(net: IndexedNetwork): AssemblyPlan {
  const n = net.busCount;
  const m = net.branchCount;
  const rows = new Int32Array(n + 4 * m);
  const cols = new Int32Array(n + 4 * m);
  for (let i = 0; i < n; i++) rows[i] = cols[i] = i;
  for (let k = 0; k < m; k++) {
    const f = net.branchFrom[k];
    const t = net.branchTo[k];
    const e = n + 4 * k;
    rows[e] = f;
    cols[e] = f;
    rows[e + 1] = f;
    cols[e + 1] = t;
    rows[e + 2] = t;
    cols[e + 2] = f;
    rows[e + 3] = t;
    cols[e + 3] = t;
  }
  return createAssemblyPlan(n, n, rows, cols);
}

/** Build Ybus for the indexed network. */
export function buildAdmittanceMatrix(net: IndexedNetwork): AdmittanceMatrix {
  const plan = createAdmittancePlan(net);
  const branch = computeBranchAdmittances(net);
  const nnz = plan.pattern.rowIndices.length;
  const gPu = new Float64Array(nnz);
  const bPu = new Float64Array(nnz);
  const slot = plan.slotOfEntry;
  for (let i = 0; i < net.busCount; i++) {
    gPu[slot[i]] += net.gShuntMw[i] / net.baseMva;
    bPu[slot[i]] += net.bShuntMvar[i] / net.baseMva;
  }
  for (let k = 0; k < net.branchCount; k++) {
    const e = net.busCount + 4 * k;
    gPu[slot[e]] += branch.yffRe[k];
    bPu[slot[e]] += branch.yffIm[k];
    gPu[slot[e + 1]] += branch.yftRe[k];
    bPu[slot[e + 1]] += branch.yftIm[k];
    gPu[slot[e + 2]] += branch.ytfRe[k];
    bPu[slot[e + 2]] += branch.ytfIm[k];
    gPu[slot[e + 3]] += branch.yttRe[k];
    bPu[slot[e + 3]] += branch.yttIm[k];
  }
  return { pattern: plan.pattern, gPu, bPu, branch };
}

/**
 * Bus current injections I = Y·V (p.u.) for V = vRe + j·vIm, written into iRe/iIm.
 * Y is stored by columns: I += Y(:,k)·V_k.
 */
export function multiplyAdmittance(
  y: AdmittanceMatrix,
  vRe: Float64Array,
  vIm: Float64Array,
  iRe: Float64Array,
  iIm: Float64Array,
): void {
  const { colStarts, rowIndices } = y.pattern;
  const { gPu, bPu } = y;
  iRe.fill(0);
  iIm.fill(0);
  const n = y.pattern.numCols;
  for (let k = 0; k < n; k++) {
    const vr = vRe[k];
    const vi = vIm[k];
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
      const i = rowIndices[p];
      iRe[i] += gPu[p] * vr - bPu[p] * vi;
      iIm[i] += gPu[p] * vi + bPu[p] * vr;
    }
  }
}

/** A complex number to write into (scratch for the hot loops below, which must not allocate). */
export interface ComplexScratch {
  re: number;
  im: number;
}

/**
 * Current into one end of branch k (pu), for bus voltages (re, im), written into `out`: the from end
 * If = Yff·Vf + Yft·Vt, the to end It = Ytf·Vf + Ytt·Vt. Linear in V, so voltage changes give ΔI.
 */
export function branchEndCurrent(
  out: ComplexScratch,
  branch: BranchAdmittances,
  k: number,
  end: 'from' | 'to',
  re: Float64Array,
  im: Float64Array,
  f: number,
  t: number,
): ComplexScratch {
  const from = end === 'from';
  const yfRe = from ? branch.yffRe[k] : branch.ytfRe[k];
  const yfIm = from ? branch.yffIm[k] : branch.ytfIm[k];
  const ytRe = from ? branch.yftRe[k] : branch.yttRe[k];
  const ytIm = from ? branch.yftIm[k] : branch.yttIm[k];
  out.re = yfRe * re[f] - yfIm * im[f] + ytRe * re[t] - ytIm * im[t];
  out.im = yfRe * im[f] + yfIm * re[f] + ytRe * im[t] + ytIm * re[t];
  return out;
}

/** S_f = V_f·conj(Yff V_f + Yft V_t), S_t = V_t·conj(Ytf V_f + Ytt V_t), scaled by baseMva. */
export function computeBranchFlows(
  net: IndexedNetwork,
  branch: BranchAdmittances,
  vRe: Float64Array,
  vIm: Float64Array,
): BranchFlows {
  const m = net.branchCount;
  const flows = {
    pFromMw: new Float64Array(m),
    qFromMvar: new Float64Array(m),
    pToMw: new Float64Array(m),
    qToMvar: new Float64Array(m),
  };
  const iFrom = { re: 0, im: 0 };
  const iTo = { re: 0, im: 0 };
  for (let k = 0; k < m; k++) {
    const f = net.branchFrom[k];
    const t = net.branchTo[k];
    branchEndCurrent(iFrom, branch, k, 'from', vRe, vIm, f, t);
    branchEndCurrent(iTo, branch, k, 'to', vRe, vIm, f, t);
    const ifRe = iFrom.re;
    const ifIm = iFrom.im;
    const itRe = iTo.re;
    const itIm = iTo.im;
    flows.pFromMw[k] = (vRe[f] * ifRe + vIm[f] * ifIm) * net.baseMva;
    flows.qFromMvar[k] = (vIm[f] * ifRe - vRe[f] * ifIm) * net.baseMva;
    flows.pToMw[k] = (vRe[t] * itRe + vIm[t] * itIm) * net.baseMva;
    flows.qToMvar[k] = (vIm[t] * itRe - vRe[t] * itIm) * net.baseMva;
  }
  return flows;
}

/**
 * Series losses of every branch (MW, MVAr): |Vf/N − Vt|²·z/|z|²·baseMva (MATPOWER get_losses), i.e. I²R and I²X of
 * the series element, excluding line charging and shunts (DESIGN.md). For the active part this equals pFrom + pTo.
 */
export function computeSeriesLosses(net: IndexedNetwork, vRe: Float64Array, vIm: Float64Array): SeriesLosses {
  const m = net.branchCount;
  const pLossMw = new Float64Array(m);
  const qLossMvar = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const f = net.branchFrom[k];
    const t = net.branchTo[k];
    const tau = net.branchTap[k];
    const cs = Math.cos(net.branchShiftRad[k]);
    const sn = Math.sin(net.branchShiftRad[k]);
    // Vf / N = Vf·(cos − j sin)/τ
    const dRe = (vRe[f] * cs + vIm[f] * sn) / tau - vRe[t];
    const dIm = (vIm[f] * cs - vRe[f] * sn) / tau - vIm[t];
    const r = net.branchRPu[k];
    const x = net.branchXPu[k];
    const scale = ((dRe * dRe + dIm * dIm) / (r * r + x * x)) * net.baseMva;
    pLossMw[k] = r * scale;
    qLossMvar[k] = x * scale;
  }
  return { pLossMw, qLossMvar };
}

/** The AC polar model of one network: the indexed network and its Ybus. */
export interface AcPolarModel {
  readonly net: IndexedNetwork;
  readonly admittance: AdmittanceMatrix;
}

/** AC state: polar voltages and the rectangular form V = vRe + j·vIm derived from them. */
export interface AcPolarState extends PolarState {
  readonly vRe: Float64Array;
  readonly vIm: Float64Array;
}

/** AC net injections S = V·conj(Ybus·V) in MW / MVAr (bus shunts included). */
function computeAcInjections(model: AcPolarModel, state: AcPolarState): BusPowers {
  const { net, admittance } = model;
  const n = net.busCount;
  const { vRe, vIm } = state;
  const iRe = new Float64Array(n);
  const iIm = new Float64Array(n);
  multiplyAdmittance(admittance, vRe, vIm, iRe, iIm);
  const pMw = new Float64Array(n);
  const qMvar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pMw[i] = (vRe[i] * iRe[i] + vIm[i] * iIm[i]) * net.baseMva;
    qMvar[i] = (vIm[i] * iRe[i] - vRe[i] * iIm[i]) * net.baseMva;
  }
  return { pMw, qMvar };
}

/** The AC polar formulation (exact π-model power flow equations). */
export const AC_POLAR: PolarFormulation<AcPolarModel, AcPolarState> = {
  name: 'ac-polar',
  isLossless: false,
  hasReactivePower: true,
  isRadialOnly: false,
  buildModel: (net) => ({ net, admittance: buildAdmittanceMatrix(net) }),
  stateLayout: ({ net }) => [
    { name: 'vm', unit: 'p.u.', per: 'bus', count: net.busCount },
    { name: 'va', unit: 'rad', per: 'bus', count: net.busCount },
  ],
  polarState: ({ net }, vmPu, vaRad) => {
    const vRe = new Float64Array(net.busCount);
    const vIm = new Float64Array(net.busCount);
    for (let i = 0; i < net.busCount; i++) {
      vRe[i] = vmPu[i] * Math.cos(vaRad[i]);
      vIm[i] = vmPu[i] * Math.sin(vaRad[i]);
    }
    return { vmPu, vaRad, vRe, vIm };
  },
  busVoltages: (_model, { vmPu, vaRad }) => ({ vmPu, vaRad }),
  busInjections: computeAcInjections,
  shunts: ({ net }, { vmPu }) => {
    const pMw = new Float64Array(net.busCount);
    const qMvar = new Float64Array(net.busCount);
    for (let i = 0; i < net.busCount; i++) {
      // Shunts draw g·|V|² and inject b·|V|².
      const v2 = vmPu[i] * vmPu[i];
      pMw[i] = net.gShuntMw[i] * v2;
      qMvar[i] = net.bShuntMvar[i] * v2;
    }
    return { pMw, qMvar };
  },
  branchFlows: ({ net, admittance }, { vRe, vIm }) => computeBranchFlows(net, admittance.branch, vRe, vIm),
  losses: ({ net }, { vRe, vIm }) => computeSeriesLosses(net, vRe, vIm),
  voltageSensitivities: computeAcVoltageSensitivities,
  flowSensitivities: computeAcFlowSensitivities,
};
