// DC formulation: lossless, flat-voltage linearisation with branch flows b·(θf − θt − θshift) (MATPOWER makeBdc).
//
// Branch susceptance b = 1/(x·τ). Flows in p.u.: Pf = b·(θf − θt) − b·θshift. Bus injections P = Bbus·θ + Pshift,
// with Bbus = Cftᵀ·diag(b)·Cft and Pshift_f = −b·θshift, Pshift_t = +b·θshift. Shunt conductance consumes gMw.
// As a formulation (`DC`): the state is θ per bus with |V| = 1; it is lossless, has no reactive power, and is
// linear, so it also hands its balance and flow equations to an LP/QP (`linearConstraints`, used by the DC OPF).
import { BUS_SLACK, type IndexedNetwork } from '../grid/indexed-network.ts';
import {
  analyseSparseLu,
  type CscMatrix,
  createAssemblyPlan,
  factorSparseLu,
  SingularMatrixError,
  type SparseLuFactors,
  solveSparseLu,
} from '../numeric/sparse/index.ts';
import type {
  BranchFlows,
  BusPowers,
  LinearConstraints,
  LinearExpression,
  LinearFormulation,
  SeriesLosses,
} from './formulation.ts';

export interface DcModel {
  readonly net: IndexedNetwork;
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
  return { net, branchSusceptancePu: b, pBusShiftPu, bBus: { ...plan.pattern, values: bBusValues } };
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

/** Bbus without the slack rows and columns, factorised (MATPOWER dcpf); `factors` is absent without unknowns. */
export interface ReducedSusceptance {
  /** Row of each bus in the reduced system, −1 at slack buses. */
  readonly reducedIndex: Int32Array;
  readonly size: number;
  readonly factors?: SparseLuFactors;
  readonly isSingular: boolean;
}

/** Reduce Bbus to the non-slack buses and factorise it once. */
export function factoriseReducedSusceptance(model: DcModel): ReducedSusceptance {
  const { net } = model;
  const n = net.busCount;
  const reducedIndex = new Int32Array(n).fill(-1);
  let size = 0;
  for (let i = 0; i < n; i++) if (net.busType[i] !== BUS_SLACK) reducedIndex[i] = size++;
  const { colStarts, rowIndices, values } = model.bBus;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let k = 0; k < n; k++) {
    const c = reducedIndex[k];
    if (c < 0) continue;
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
      const r = reducedIndex[rowIndices[p]];
      if (r < 0) continue;
      rows.push(r);
      cols.push(c);
      vals.push(values[p]);
    }
  }
  const plan = createAssemblyPlan(size, size, Int32Array.from(rows), Int32Array.from(cols));
  const reduced: CscMatrix = { ...plan.pattern, values: new Float64Array(plan.pattern.values.length) };
  for (let e = 0; e < vals.length; e++) reduced.values[plan.slotOfEntry[e]] += vals[e];
  try {
    const factors = size > 0 ? factorSparseLu(reduced, analyseSparseLu(reduced)) : undefined;
    return { reducedIndex, size, factors, isSingular: false };
  } catch (error) {
    if (!(error instanceof SingularMatrixError)) throw error;
    return { reducedIndex, size, isSingular: true };
  }
}

/** DC net injections P = (Bbus·θ + Pshift)·baseMva + Gsh (MW); Q = 0. */
function computeDcInjections(model: DcModel, vaRad: Float64Array): BusPowers {
  const { net } = model;
  const n = net.busCount;
  const pMw = new Float64Array(n);
  const { colStarts, rowIndices, values } = model.bBus;
  for (let k = 0; k < n; k++) {
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) pMw[rowIndices[p]] += values[p] * vaRad[k];
  }
  for (let i = 0; i < n; i++) pMw[i] = (pMw[i] + model.pBusShiftPu[i]) * net.baseMva + net.gShuntMw[i];
  return { pMw, qMvar: new Float64Array(n) };
}

/** Angle change (rad per MW injected at bus k, the slack taking it up): a column of the reduced inverse. */
function angleColumn(model: DcModel, reduced: ReducedSusceptance, k: number): Float64Array {
  const n = model.net.busCount;
  const dVaRad = new Float64Array(n);
  if (reduced.reducedIndex[k] < 0 || !reduced.factors) return dVaRad;
  const rhs = new Float64Array(reduced.size);
  rhs[reduced.reducedIndex[k]] = 1 / model.net.baseMva;
  const x = solveSparseLu(reduced.factors, rhs);
  for (let i = 0; i < n; i++) if (reduced.reducedIndex[i] >= 0) dVaRad[i] = x[reduced.reducedIndex[i]];
  return dVaRad;
}

/** B-θ balance and flow equations in MW over the angle variables (one per bus, in bus order). */
function dcLinearConstraints(model: DcModel): LinearConstraints {
  const { net } = model;
  const base = net.baseMva;
  const n = net.busCount;
  // Injection rows built column-wise from Bbus: P_i = base·Σ_k Bbus_ik·θ_k + base·Pshift_i.
  const rowVariables: number[][] = Array.from({ length: n }, () => []);
  const rowCoefficients: number[][] = Array.from({ length: n }, () => []);
  const { colStarts, rowIndices, values } = model.bBus;
  for (let k = 0; k < n; k++) {
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) {
      rowVariables[rowIndices[p]].push(k);
      rowCoefficients[rowIndices[p]].push(base * values[p]);
    }
  }
  const busInjectionMw: LinearExpression[] = rowVariables.map((variables, i) => ({
    variables: Int32Array.from(variables),
    coefficients: Float64Array.from(rowCoefficients[i]),
    constant: base * model.pBusShiftPu[i],
  }));
  // Pf = base·b·(θf − θt) − base·b·θshift.
  const branchFlowMw: LinearExpression[] = Array.from({ length: net.branchCount }, (_, k) => {
    const coefficient = base * model.branchSusceptancePu[k];
    return {
      variables: Int32Array.of(net.branchFrom[k], net.branchTo[k]),
      coefficients: Float64Array.of(coefficient, -coefficient),
      constant: -(coefficient * net.branchShiftRad[k]),
    };
  });
  const variableLower = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const variableUpper = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    if (net.busType[i] !== BUS_SLACK) continue;
    variableLower[i] = net.vaStartRad[i];
    variableUpper[i] = net.vaStartRad[i];
  }
  return {
    busInjectionMw,
    branchFlowMw,
    variableLower,
    variableUpper,
    anglesOf: (x) => Float64Array.from(x),
  };
}

const zeroLosses = (m: number): SeriesLosses => ({
  pLossMw: new Float64Array(m),
  qLossMvar: new Float64Array(m),
});

/** The DC formulation: lossless, |V| = 1, no reactive power, linear in the bus angles. */
export const DC: LinearFormulation<DcModel> = {
  name: 'dc',
  isLossless: true,
  hasReactivePower: false,
  isRadialOnly: false,
  buildModel: buildDcModel,
  stateLayout: ({ net }) => [{ name: 'va', unit: 'rad', per: 'bus', count: net.busCount }],
  polarState: (_model, vmPu, vaRad) => ({ vmPu, vaRad }),
  busVoltages: (_model, { vmPu, vaRad }) => ({ vmPu, vaRad }),
  busInjections: (model, { vaRad }) => computeDcInjections(model, vaRad),
  // Shunts at |V| = 1 p.u. (the reactive part is reported, although the DC model has no reactive balance).
  shunts: ({ net }) => ({ pMw: Float64Array.from(net.gShuntMw), qMvar: Float64Array.from(net.bShuntMvar) }),
  branchFlows: (model, { vaRad }): BranchFlows => {
    const pFromMw = computeDcBranchFlows(model.net, model, vaRad);
    const m = model.net.branchCount;
    return {
      pFromMw,
      qFromMvar: new Float64Array(m),
      pToMw: pFromMw.map((p) => -p),
      qToMvar: new Float64Array(m),
    };
  },
  losses: ({ net }) => zeroLosses(net.branchCount),
  voltageSensitivities: ({ net }, _state, injectionBuses) => ({
    dVmDpPuPerMw: Array.from({ length: injectionBuses.length }, () => new Float64Array(net.busCount)),
    dVmDqPuPerMvar: Array.from({ length: injectionBuses.length }, () => new Float64Array(net.busCount)),
  }),
  flowSensitivities: (model, _state, injectionBuses) => {
    const { net } = model;
    const reduced = factoriseReducedSusceptance(model);
    return Array.from(injectionBuses, (k) => {
      const dVaRad = angleColumn(model, reduced, k);
      return Float64Array.from(
        { length: net.branchCount },
        (_, b) =>
          model.branchSusceptancePu[b] * (dVaRad[net.branchFrom[b]] - dVaRad[net.branchTo[b]]) * net.baseMva,
      );
    });
  },
  linearConstraints: dcLinearConstraints,
};
