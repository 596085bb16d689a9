// DC formulation: lossless, flat-voltage linearisation with branch flows b·(θf − θt − θshift) (MATPOWER makeBdc).
//
// Branch susceptance b = 1/(x·τ). Flows in p.u.: Pf = b·(θf − θt) − b·θshift. Bus injections P = Bbus·θ + Pshift,
// with Bbus = Cftᵀ·diag(b)·Cft and Pshift_f = −b·θshift, Pshift_t = +b·θshift. Shunt conductance consumes gMw.
import type { IndexedNetwork } from '../grid/indexed-network.ts';
import { type CscMatrix, createAssemblyPlan } from '../numeric/sparse/index.ts';

export interface DcModel {
  /** b = 1/(x·τ) per in-service branch (p.u.). */
  readonly branchSusceptancePu: Float64Array;
  /** Injection equivalent of phase shifters per bus (p.u.). */
  readonly pBusShiftPu: Float64Array;
  readonly bBus: CscMatrix;
}

export function buildDcModel(net: IndexedNetwork): DcModel {
  const n = net.busCount;
  const m = net.branchCount;
  const b = new Float64Array(m);
  const pBusShiftPu = new Float64Array(n);
  const rows = new Int32Array(n + 4 * m);
  const cols = new Int32Array(n + 4 * m);
  const values = new Float64Array(n + 4 * m);
  for (let i = 0; i < n; i++) rows[i] = cols[i] = i;
  for (let k = 0; k < m; k++) {
    b[k] = 1 / (net.branchXPu[k] * net.branchTap[k]);
    const f = net.branchFrom[k];
    const t = net.branchTo[k];
    const e = n + 4 * k;
    rows[e] = f;
    cols[e] = f;
    values[e] = b[k];
    rows[e + 1] = f;
    cols[e + 1] = t;
    values[e + 1] = -b[k];
    rows[e + 2] = t;
    cols[e + 2] = f;
    values[e + 2] = -b[k];
    rows[e + 3] = t;
    cols[e + 3] = t;
    values[e + 3] = b[k];
    pBusShiftPu[f] -= b[k] * net.branchShiftRad[k];
    pBusShiftPu[t] += b[k] * net.branchShiftRad[k];
  }
  const plan = createAssemblyPlan(n, n, rows, cols);
  const bBusValues = new Float64Array(plan.pattern.values.length);
  for (let e = 0; e < values.length; e++) bBusValues[plan.slotOfEntry[e]] += values[e];
  return { branchSusceptancePu: b, pBusShiftPu, bBus: { ...plan.pattern, values: bBusValues } };
}

/** Active power flow at the from end of each branch (MW) for bus angles in rad; equals minus the to-end flow. */
export function computeDcBranchFlows(net: IndexedNetwork, model: DcModel, vaRad: Float64Array): Float64Array {
  const flows = new Float64Array(net.branchCount);
  for (let k = 0; k < net.branchCount; k++) {
    const dTheta = vaRad[net.branchFrom[k]] - vaRad[net.branchTo[k]] - net.branchShiftRad[k];
    flows[k] = model.branchSusceptancePu[k] * dTheta * net.baseMva;
  }
  return flows;
}
