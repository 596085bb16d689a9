// Linear sensitivities of the AC polar formulation at a solved state, from the power flow Jacobian.
//
// With unknowns x = [θ(pv ∪ pq); |V|(pq)] and mismatches F = [P(pv ∪ pq); Q(pq)] of S = V·conj(Ybus·V) − Sspec,
// a change of the specified injections moves the solution by J·Δx = ΔSspec (slack and PV voltages held, as in
// the power flow). J uses the complex derivatives of Zimmerman, MATPOWER TN2 (2010), eqs. (11)–(12):
//   ∂S/∂θ = j·diag(V)·conj(diag(I) − Ybus·diag(V)),  ∂S/∂|V| = diag(V)·conj(Ybus·diag(V/|V|)) + conj(diag(I))·diag(V/|V|).
// Flow sensitivities follow from the linearised from-end flow ΔSf = ΔVf·conj(If) + Vf·conj(Yff·ΔVf + Yft·ΔVt) with
// ΔV_i = V_i·(Δ|V_i|/|V_i| + j·Δθ_i). The Jacobian is assembled and factorised once per call.
import { BUS_PQ, BUS_PV } from '../grid/indexed-network.ts';
import {
  analyseSparseLu,
  cscFromTriplets,
  factorSparseLu,
  type SparseLuFactors,
  solveSparseLu,
} from '../numeric/sparse/index.ts';
import { type AcPolarModel, branchEndCurrent } from './ac-polar.ts';
import type { PolarState, VoltageSensitivities } from './formulation.ts';

/** V = |V|·e^{jθ} in rectangular form. */
function rectangular({ vmPu, vaRad }: PolarState): { vRe: Float64Array; vIm: Float64Array } {
  return {
    vRe: Float64Array.from(vmPu, (vm, i) => vm * Math.cos(vaRad[i])),
    vIm: Float64Array.from(vmPu, (vm, i) => vm * Math.sin(vaRad[i])),
  };
}

interface FactorisedJacobian {
  readonly factors: SparseLuFactors;
  /** Row (and column) of P / θ and of Q / |V| for each bus, −1 where the bus has none. */
  readonly rowP: Int32Array;
  readonly rowQ: Int32Array;
  readonly size: number;
}

/** Assemble and factorise the power flow Jacobian at the voltages (bus types of the network). */
function factoriseJacobian(model: AcPolarModel, voltages: PolarState): FactorisedJacobian {
  const { net, admittance } = model;
  const n = net.busCount;
  const { vmPu } = voltages;
  const { vRe, vIm } = rectangular(voltages);
  const rowP = new Int32Array(n).fill(-1);
  const rowQ = new Int32Array(n).fill(-1);
  let size = 0;
  for (let i = 0; i < n; i++) if (net.busType[i] === BUS_PV || net.busType[i] === BUS_PQ) rowP[i] = size++;
  for (let i = 0; i < n; i++) if (net.busType[i] === BUS_PQ) rowQ[i] = size++;
  const { colStarts, rowIndices } = admittance.pattern;
  const { gPu, bPu } = admittance;
  // Bus currents I = Ybus·V and powers S = V·conj(I) (p.u.), needed on the diagonal.
  const iRe = new Float64Array(n);
  const iIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
      iRe[rowIndices[p]] += gPu[p] * vRe[k] - bPu[p] * vIm[k];
      iIm[rowIndices[p]] += gPu[p] * vIm[k] + bPu[p] * vRe[k];
    }
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const add = (r: number, c: number, v: number) => {
    if (r < 0 || c < 0) return;
    rows.push(r);
    cols.push(c);
    values.push(v);
  };
  for (let k = 0; k < n; k++) {
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
      const i = rowIndices[p];
      // c = V_i·conj(Y_ik·V_k); ∂S_i/∂θ_k = −j·c and ∂S_i/∂|V_k| = c/|V_k| off the diagonal.
      const a = gPu[p] * vRe[k] - bPu[p] * vIm[k];
      const b = gPu[p] * vIm[k] + bPu[p] * vRe[k];
      const cRe = vRe[i] * a + vIm[i] * b;
      const cIm = vIm[i] * a - vRe[i] * b;
      let dThetaRe = cIm;
      let dThetaIm = -cRe;
      let dVmRe = cRe / vmPu[k];
      let dVmIm = cIm / vmPu[k];
      if (i === k) {
        const sRe = vRe[i] * iRe[i] + vIm[i] * iIm[i];
        const sIm = vIm[i] * iRe[i] - vRe[i] * iIm[i];
        dThetaRe -= sIm;
        dThetaIm += sRe;
        dVmRe += sRe / vmPu[i];
        dVmIm += sIm / vmPu[i];
      }
      add(rowP[i], rowP[k], dThetaRe);
      add(rowP[i], rowQ[k], dVmRe);
      add(rowQ[i], rowP[k], dThetaIm);
      add(rowQ[i], rowQ[k], dVmIm);
    }
  }
  const jacobian = cscFromTriplets(size, size, Int32Array.from(rows), Int32Array.from(cols), values);
  return { factors: factorSparseLu(jacobian, analyseSparseLu(jacobian)), rowP, rowQ, size };
}

/** Δθ and Δ|V| per bus for one MW (or MVAr, `reactive`) more injected at bus k; zero when k is the slack. */
function solveColumn(model: AcPolarModel, jac: FactorisedJacobian, k: number, reactive: boolean) {
  const n = model.net.busCount;
  const dVaRad = new Float64Array(n);
  const dVmPu = new Float64Array(n);
  const row = reactive ? jac.rowQ[k] : jac.rowP[k];
  if (row < 0) return { dVaRad, dVmPu };
  const rhs = new Float64Array(jac.size);
  rhs[row] = 1 / model.net.baseMva;
  const x = solveSparseLu(jac.factors, rhs);
  for (let j = 0; j < n; j++) {
    if (jac.rowP[j] >= 0) dVaRad[j] = x[jac.rowP[j]];
    if (jac.rowQ[j] >= 0) dVmPu[j] = x[jac.rowQ[j]];
  }
  return { dVaRad, dVmPu };
}

/** ∂|V_j|/∂p_k and ∂|V_j|/∂q_k at the voltages (PV and slack magnitudes are held, so their rows are zero). */
export function computeAcVoltageSensitivities(
  model: AcPolarModel,
  voltages: PolarState,
  injectionBuses: ArrayLike<number>,
): VoltageSensitivities {
  const jac = factoriseJacobian(model, voltages);
  const dVmDpPuPerMw: Float64Array[] = [];
  const dVmDqPuPerMvar: Float64Array[] = [];
  for (let m = 0; m < injectionBuses.length; m++) {
    dVmDpPuPerMw.push(solveColumn(model, jac, injectionBuses[m], false).dVmPu);
    dVmDqPuPerMvar.push(solveColumn(model, jac, injectionBuses[m], true).dVmPu);
  }
  return { dVmDpPuPerMw, dVmDqPuPerMvar };
}

/** ∂pFrom_b/∂p_k (MW/MW) for every in-service branch b at the voltages. */
export function computeAcFlowSensitivities(
  model: AcPolarModel,
  voltages: PolarState,
  injectionBuses: ArrayLike<number>,
): Float64Array[] {
  const { net } = model;
  const { branch } = model.admittance;
  const { vmPu } = voltages;
  const { vRe, vIm } = rectangular(voltages);
  const jac = factoriseJacobian(model, voltages);
  const dRe = new Float64Array(net.busCount);
  const dIm = new Float64Array(net.busCount);
  const columns: Float64Array[] = [];
  const iFrom = { re: 0, im: 0 };
  const dIFrom = { re: 0, im: 0 };
  for (let m = 0; m < injectionBuses.length; m++) {
    const { dVaRad, dVmPu } = solveColumn(model, jac, injectionBuses[m], false);
    for (let i = 0; i < net.busCount; i++) {
      const relative = dVmPu[i] / vmPu[i];
      dRe[i] = vRe[i] * relative - vIm[i] * dVaRad[i];
      dIm[i] = vIm[i] * relative + vRe[i] * dVaRad[i];
    }
    const column = new Float64Array(net.branchCount);
    for (let b = 0; b < net.branchCount; b++) {
      const f = net.branchFrom[b];
      const t = net.branchTo[b];
      // If = Yff·Vf + Yft·Vt and its change ΔIf = Yff·ΔVf + Yft·ΔVt.
      const { re: ifRe, im: ifIm } = branchEndCurrent(iFrom, branch, b, 'from', vRe, vIm, f, t);
      const { re: diRe, im: diIm } = branchEndCurrent(dIFrom, branch, b, 'from', dRe, dIm, f, t);
      // Re(ΔVf·conj(If) + Vf·conj(ΔIf)), per MW of injection.
      column[b] = (dRe[f] * ifRe + dIm[f] * ifIm + vRe[f] * diRe + vIm[f] * diIm) * net.baseMva;
    }
    columns.push(column);
  }
  return columns;
}
