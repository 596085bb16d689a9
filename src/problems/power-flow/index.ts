// Power flow problem: runs Newton–Raphson, backward/forward sweep or DC power flow on a network and returns
// result tables keyed by the input ids (pandapower-style res_bus / res_branch / res_gen beside the inputs).
import { InputError } from '../../core/errors.ts';
import type { ConvergenceStatus } from '../../core/status.ts';
import {
  POWER_FLOW_MAX_ITERATIONS,
  POWER_FLOW_TOLERANCE_PU,
  SWEEP_MAX_ITERATIONS,
} from '../../core/tolerances.ts';
import { radToDeg } from '../../core/units.ts';
import {
  type AdmittanceMatrix,
  buildAdmittanceMatrix,
  computeBranchFlows,
  computeSeriesLosses,
  multiplyAdmittance,
} from '../../formulations/ac-polar.ts';
import { buildDcModel, computeDcBranchFlows, type DcModel } from '../../formulations/dc.ts';
import { BUS_PQ, BUS_PV, BUS_SLACK, type IndexedNetwork, indexNetwork } from '../../grid/indexed-network.ts';
import { buildRadialTree } from '../../grid/radial-tree.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import { BackwardForwardSweepSolver } from './backward-forward-sweep.ts';
import { DcPowerFlowSolver } from './dc-power-flow.ts';
import { type NewtonRaphsonOutcome, NewtonRaphsonSolver } from './newton-raphson.ts';

export const POWER_FLOW_METHODS = ['nr', 'bfs', 'dc'] as const;
export type PowerFlowMethod = (typeof POWER_FLOW_METHODS)[number];

export interface PowerFlowOptions {
  /** nr: Newton–Raphson (default); bfs: backward/forward sweep (radial only); dc: DC power flow. */
  readonly method?: PowerFlowMethod;
  /** Stop when ‖mismatch‖∞ < tolerancePu (default 1e-8 p.u.). */
  readonly tolerancePu?: number;
  readonly maxIterations?: number;
  /** Switch PV buses to PQ when generator reactive limits are exceeded (default false, as in MATPOWER). */
  readonly enforceQLimits?: boolean;
}

export interface BusResult {
  readonly id: ElementId;
  readonly vmPu: number;
  readonly vaDeg: number;
  /** Net injection into the network at the bus (generation − load), MW / MVAr; excludes bus shunts. */
  readonly pInjectionMw: number;
  readonly qInjectionMvar: number;
}

export interface BranchResult {
  readonly id: ElementId;
  readonly pFromMw: number;
  readonly qFromMvar: number;
  readonly pToMw: number;
  readonly qToMvar: number;
  /** Series losses I²R (MW, = pFrom + pTo) and I²X (MVAr, excluding line charging). */
  readonly pLossMw: number;
  readonly qLossMvar: number;
  /** max(|Sfrom|, |Sto|) / rateAMva in percent; null for unlimited branches. */
  readonly loadingPercent: number | null;
}

export interface GeneratorResult {
  readonly id: ElementId;
  readonly bus: ElementId;
  readonly pMw: number;
  readonly qMvar: number;
  /** True when the generator was fixed at a reactive limit (enforceQLimits). */
  readonly atQLimit: boolean;
}

export interface PowerFlowResult {
  readonly status: ConvergenceStatus;
  readonly converged: boolean;
  readonly method: PowerFlowMethod;
  readonly iterations: number;
  readonly maxMismatchPu: number;
  readonly message?: string;
  /** Series losses Σ I²R = Σ(pFrom + pTo) and Σ I²X, excluding charging and shunts (DESIGN.md); 0 for DC. */
  readonly lossesMw: number;
  readonly lossesMvar: number;
  readonly totals: {
    readonly generationMw: number;
    readonly generationMvar: number;
    readonly loadMw: number;
    readonly loadMvar: number;
    /** Active power consumed and reactive power injected by bus shunts at the solved voltages. */
    readonly shuntMw: number;
    readonly shuntMvar: number;
  };
  readonly buses: readonly BusResult[];
  readonly branches: readonly BranchResult[];
  readonly generators: readonly GeneratorResult[];
}

/** Per-bus load overrides for repeated solves (MW / MVAr, consumption positive, indexed like `busIds`). */
export interface LoadOverrides {
  readonly pLoadMw?: Float64Array;
  readonly qLoadMvar?: Float64Array;
}

/** Solution arrays indexed like `busIds` and the in-service branches, without per-element objects. */
export interface PowerFlowArrays {
  readonly outcome: NewtonRaphsonOutcome;
  readonly vmPu: Float64Array;
  readonly vaRad: Float64Array;
  readonly pGenMw: Float64Array;
  readonly qGenMvar: Float64Array;
  readonly atQLimit: Uint8Array;
  readonly pLoadMw: Float64Array;
  readonly qLoadMvar: Float64Array;
  readonly pFromMw: Float64Array;
  readonly qFromMvar: Float64Array;
  readonly pToMw: Float64Array;
  readonly qToMvar: Float64Array;
  /** Series losses per branch (MW / MVAr), see computeSeriesLosses. */
  readonly pLossMw: Float64Array;
  readonly qLossMvar: Float64Array;
  readonly lossesMw: number;
  readonly lossesMvar: number;
}

/** A power flow with its structures (admittance matrix, Jacobian pattern, LU ordering) built once. */
export interface PreparedPowerFlow {
  readonly network: Network;
  readonly indexed: IndexedNetwork;
  /** In-service bus ids, in the index order used by LoadOverrides and PowerFlowArrays. */
  readonly busIds: readonly ElementId[];
  solveArrays(overrides?: LoadOverrides): PowerFlowArrays;
  solve(overrides?: LoadOverrides): PowerFlowResult;
}

/** Solve one power flow. Non-convergence is a status in the result, not an exception. */
export function solvePowerFlow(network: Network, options: PowerFlowOptions = {}): PowerFlowResult {
  return preparePowerFlow(network, options).solve();
}

/** Build reusable structures for repeated power flows of one network (time series, benchmarks). */
export function preparePowerFlow(network: Network, options: PowerFlowOptions = {}): PreparedPowerFlow {
  const method = options.method ?? 'nr';
  if (!POWER_FLOW_METHODS.includes(method)) {
    throw InputError.single(
      'bad_option',
      ['method'],
      `unknown power flow method "${method}" (nr, bfs or dc)`,
    );
  }
  const net = indexNetwork(network);
  const settings = {
    tolerancePu: options.tolerancePu ?? POWER_FLOW_TOLERANCE_PU,
    maxIterations:
      options.maxIterations ?? (method === 'bfs' ? SWEEP_MAX_ITERATIONS : POWER_FLOW_MAX_ITERATIONS),
  };
  let solveState: StateSolver;
  let branchFlows: (vm: Float64Array, va: Float64Array) => BranchFlowArrays;
  let injections: InjectionCalculator;
  if (method === 'dc') {
    const model: DcModel = buildDcModel(net);
    injections = (_vm, va) => computeDcInjections(net, model, va);
    const dc = new DcPowerFlowSolver(net, model);
    solveState = (pSpec, _q, vm, va) => {
      vm.fill(1);
      return dc.solve(pSpec, va);
    };
    branchFlows = (_vm, va) => {
      const pFrom = computeDcBranchFlows(net, model, va);
      const m = net.branchCount;
      const zero = new Float64Array(m);
      return [pFrom, zero, pFrom.map((p) => -p), zero, zero, zero];
    };
  } else {
    const y = buildAdmittanceMatrix(net);
    injections = (vm, va) => computeAcInjections(net, y, vm, va);
    if (method === 'bfs') {
      const sweep = new BackwardForwardSweepSolver(net, y, buildRadialTree(net));
      solveState = (pSpec, qSpec, vm, va) => sweep.solve(pSpec, qSpec, vm, va, settings);
    } else {
      const newton = new NewtonRaphsonSolver(y);
      solveState = (pSpec, qSpec, vm, va, types) => newton.solve(types, pSpec, qSpec, vm, va, settings);
    }
    branchFlows = (vm, va) => {
      const vRe = new Float64Array(net.busCount);
      const vIm = new Float64Array(net.busCount);
      for (let i = 0; i < net.busCount; i++) {
        vRe[i] = vm[i] * Math.cos(va[i]);
        vIm[i] = vm[i] * Math.sin(va[i]);
      }
      const f = computeBranchFlows(net, y.branch, vRe, vIm);
      const losses = computeSeriesLosses(net, vRe, vIm);
      return [f.pFromMw, f.qFromMvar, f.pToMw, f.qToMvar, losses.pLossMw, losses.qLossMvar];
    };
  }

  const solveArrays = (overrides: LoadOverrides = {}): PowerFlowArrays => {
    const pLoadMw = overrides.pLoadMw ?? net.pLoadMw;
    const qLoadMvar = overrides.qLoadMvar ?? net.qLoadMvar;
    checkOverride(pLoadMw, net.busCount, 'pLoadMw');
    checkOverride(qLoadMvar, net.busCount, 'qLoadMvar');
    const state = runWithReactiveLimits(
      net,
      pLoadMw,
      qLoadMvar,
      // The DC model has no reactive power, so reactive limits apply to the AC methods only.
      (options.enforceQLimits ?? false) && method !== 'dc',
      solveState,
      injections,
    );
    const [pFromMw, qFromMvar, pToMw, qToMvar, pLossMw, qLossMvar] = branchFlows(state.vmPu, state.vaRad);
    let lossesMw = 0;
    let lossesMvar = 0;
    for (let k = 0; k < net.branchCount; k++) {
      lossesMw += pLossMw[k];
      lossesMvar += qLossMvar[k];
    }
    return {
      ...state,
      pLoadMw,
      qLoadMvar,
      pFromMw,
      qFromMvar,
      pToMw,
      qToMvar,
      pLossMw,
      qLossMvar,
      lossesMw,
      lossesMvar,
    };
  };

  return {
    network,
    indexed: net,
    busIds: net.busIds,
    solveArrays,
    solve: (overrides) => buildResultTables(network, net, method, solveArrays(overrides)),
  };
}

function checkOverride(values: Float64Array, busCount: number, field: string): void {
  if (values.length !== busCount) {
    throw InputError.single(
      'bad_length',
      [field],
      `expected ${busCount} values (one per in-service bus), got ${values.length}`,
    );
  }
}

/** pFrom, qFrom, pTo, qTo, pLoss, qLoss per in-service branch. */
type BranchFlowArrays = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

type StateSolver = (
  pSpecPu: Float64Array,
  qSpecPu: Float64Array,
  vm: Float64Array,
  va: Float64Array,
  types: Int8Array,
) => NewtonRaphsonOutcome;

/**
 * Solve, then (if asked) switch PV buses whose generators exceed their reactive limits to PQ with the
 * generators fixed at the violated limit, and solve again until no PV bus violates (MATPOWER runpf, qlim).
 */
function runWithReactiveLimits(
  net: IndexedNetwork,
  pLoadMw: Float64Array,
  qLoadMvar: Float64Array,
  enforceQLimits: boolean,
  solveState: StateSolver,
  injections: InjectionCalculator,
) {
  const n = net.busCount;
  const base = net.baseMva;
  const types = net.busType.slice();
  const vmPu = net.vmStartPu.slice();
  const vaRad = net.vaStartRad.slice();
  const pSpecPu = new Float64Array(n);
  const qSpecPu = new Float64Array(n);
  const qGenSetMvar = net.qGenMvar.slice();
  const atQLimit = new Uint8Array(net.generatorCount);
  const gensAtBus = new Int32Array(n);
  for (let g = 0; g < net.generatorCount; g++) gensAtBus[net.generatorBus[g]]++;
  for (let i = 0; i < n; i++) pSpecPu[i] = -pLoadMw[i] / base;
  for (let g = 0; g < net.generatorCount; g++) {
    const i = net.generatorBus[g];
    pSpecPu[i] += net.pGenMw[g] / base;
  }
  let totalIterations = 0;
  for (;;) {
    for (let i = 0; i < n; i++) qSpecPu[i] = -qLoadMvar[i] / base;
    for (let g = 0; g < net.generatorCount; g++) qSpecPu[net.generatorBus[g]] += qGenSetMvar[g] / base;
    const outcome = solveState(pSpecPu, qSpecPu, vmPu, vaRad, types);
    totalIterations += outcome.iterations;
    const { pCalcMw, qCalcMvar } = injections(vmPu, vaRad);
    const { pGenMw, qGenMvar } = generatorOutputs(
      net,
      types,
      pCalcMw,
      qCalcMvar,
      qGenSetMvar,
      pLoadMw,
      qLoadMvar,
      gensAtBus,
    );
    const result = {
      outcome: { ...outcome, iterations: totalIterations },
      vmPu,
      vaRad,
      pGenMw,
      qGenMvar,
      atQLimit,
    };
    if (!enforceQLimits || !outcome.converged) return result;
    let switched = false;
    const qBus = new Float64Array(n);
    const qMaxBus = new Float64Array(n);
    const qMinBus = new Float64Array(n);
    for (let g = 0; g < net.generatorCount; g++) {
      const i = net.generatorBus[g];
      qBus[i] += qGenMvar[g];
      qMaxBus[i] += net.qGenMaxMvar[g];
      qMinBus[i] += net.qGenMinMvar[g];
    }
    for (let i = 0; i < n; i++) {
      if (types[i] !== BUS_PV) continue;
      const limit =
        qBus[i] > qMaxBus[i] + 1e-6
          ? net.qGenMaxMvar
          : qBus[i] < qMinBus[i] - 1e-6
            ? net.qGenMinMvar
            : undefined;
      if (!limit) continue;
      types[i] = BUS_PQ;
      for (let g = 0; g < net.generatorCount; g++) {
        if (net.generatorBus[g] !== i) continue;
        atQLimit[g] = 1;
        qGenSetMvar[g] = limit[g];
      }
      switched = true;
    }
    if (!switched) return result;
  }
}

/**
 * Generator outputs at the solved state: the first generator at the slack bus takes the active-power balance;
 * generators at PV and slack buses share the bus's reactive output equally; others keep their setpoints (or the
 * reactive limit they were fixed at).
 */
function generatorOutputs(
  net: IndexedNetwork,
  types: Int8Array,
  pCalcMw: Float64Array,
  qCalcMvar: Float64Array,
  qGenSetMvar: Float64Array,
  pLoadMw: Float64Array,
  qLoadMvar: Float64Array,
  gensAtBus: Int32Array,
): { pGenMw: Float64Array; qGenMvar: Float64Array } {
  const pGenMw = net.pGenMw.slice();
  const qGenMvar = qGenSetMvar.slice();
  const slackTaken = new Uint8Array(net.busCount);
  for (let g = 0; g < net.generatorCount; g++) {
    const i = net.generatorBus[g];
    if (types[i] === BUS_SLACK && !slackTaken[i]) {
      slackTaken[i] = 1;
      let others = 0;
      for (let h = 0; h < net.generatorCount; h++)
        if (h !== g && net.generatorBus[h] === i) others += net.pGenMw[h];
      pGenMw[g] = pCalcMw[i] + pLoadMw[i] - others;
    }
    if (types[i] === BUS_SLACK || types[i] === BUS_PV)
      qGenMvar[g] = (qCalcMvar[i] + qLoadMvar[i]) / gensAtBus[i];
  }
  return { pGenMw, qGenMvar };
}

type InjectionCalculator = (
  vm: Float64Array,
  va: Float64Array,
) => { pCalcMw: Float64Array; qCalcMvar: Float64Array };

/** DC net injections P = (Bbus·θ + Pshift)·baseMva + Gsh (MW); Q = 0. */
function computeDcInjections(net: IndexedNetwork, model: DcModel, vaRad: Float64Array) {
  const n = net.busCount;
  const pCalcMw = new Float64Array(n);
  const { colStarts, rowIndices, values } = model.bBus;
  for (let k = 0; k < n; k++) {
    for (let p = colStarts[k]; p < colStarts[k + 1]; p++) pCalcMw[rowIndices[p]] += values[p] * vaRad[k];
  }
  for (let i = 0; i < n; i++)
    pCalcMw[i] = (pCalcMw[i] + model.pBusShiftPu[i]) * net.baseMva + net.gShuntMw[i];
  return { pCalcMw, qCalcMvar: new Float64Array(n) };
}

/** AC net injections S = V·conj(Ybus·V) in MW / MVAr. */
function computeAcInjections(
  net: IndexedNetwork,
  y: AdmittanceMatrix,
  vmPu: Float64Array,
  vaRad: Float64Array,
) {
  const n = net.busCount;
  const vRe = new Float64Array(n);
  const vIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    vRe[i] = vmPu[i] * Math.cos(vaRad[i]);
    vIm[i] = vmPu[i] * Math.sin(vaRad[i]);
  }
  const iRe = new Float64Array(n);
  const iIm = new Float64Array(n);
  multiplyAdmittance(y, vRe, vIm, iRe, iIm);
  const pCalcMw = new Float64Array(n);
  const qCalcMvar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pCalcMw[i] = (vRe[i] * iRe[i] + vIm[i] * iIm[i]) * net.baseMva;
    qCalcMvar[i] = (vIm[i] * iRe[i] - vRe[i] * iIm[i]) * net.baseMva;
  }
  return { pCalcMw, qCalcMvar };
}

function buildResultTables(
  network: Network,
  net: IndexedNetwork,
  method: PowerFlowMethod,
  s: PowerFlowArrays,
): PowerFlowResult {
  const { outcome } = s;
  const n = net.busCount;
  const injectionP = new Float64Array(n);
  const injectionQ = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    injectionP[i] = -s.pLoadMw[i];
    injectionQ[i] = -s.qLoadMvar[i];
  }
  for (let g = 0; g < net.generatorCount; g++) {
    injectionP[net.generatorBus[g]] += s.pGenMw[g];
    injectionQ[net.generatorBus[g]] += s.qGenMvar[g];
  }
  let shuntMw = 0;
  let shuntMvar = 0;
  for (let i = 0; i < n; i++) {
    // Shunts draw g·|V|²; the DC model holds |V| = 1.
    const v2 = method === 'dc' ? 1 : s.vmPu[i] * s.vmPu[i];
    shuntMw += net.gShuntMw[i] * v2;
    shuntMvar += net.bShuntMvar[i] * v2;
  }
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  return {
    status: outcome.converged ? 'converged' : 'not_converged',
    converged: outcome.converged,
    method,
    iterations: outcome.iterations,
    maxMismatchPu: outcome.maxMismatchPu,
    ...(outcome.message ? { message: outcome.message } : {}),
    lossesMw: s.lossesMw,
    lossesMvar: s.lossesMvar,
    totals: {
      generationMw: sum(s.pGenMw),
      generationMvar: sum(s.qGenMvar),
      loadMw: sum(s.pLoadMw),
      loadMvar: sum(s.qLoadMvar),
      shuntMw,
      shuntMvar,
    },
    buses: net.busIds.map((id, i) => ({
      id,
      vmPu: s.vmPu[i],
      vaDeg: radToDeg(s.vaRad[i]),
      pInjectionMw: injectionP[i],
      qInjectionMvar: injectionQ[i],
    })),
    branches: Array.from(net.branchPosition, (position, k) => {
      const rate = net.branchRateMva[k];
      const sFrom = Math.hypot(s.pFromMw[k], s.qFromMvar[k]);
      const sTo = Math.hypot(s.pToMw[k], s.qToMvar[k]);
      return {
        id: network.branches[position].id,
        pFromMw: s.pFromMw[k],
        qFromMvar: s.qFromMvar[k],
        pToMw: s.pToMw[k],
        qToMvar: s.qToMvar[k],
        pLossMw: s.pLossMw[k],
        qLossMvar: s.qLossMvar[k],
        loadingPercent: rate > 0 ? (100 * Math.max(sFrom, sTo)) / rate : null,
      };
    }),
    generators: Array.from(net.generatorPosition, (position, g) => ({
      id: network.generators[position].id,
      bus: network.generators[position].bus,
      pMw: s.pGenMw[g],
      qMvar: s.qGenMvar[g],
      atQLimit: s.atQLimit[g] === 1,
    })),
  };
}
