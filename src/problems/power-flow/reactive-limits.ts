// Reactive limits and generator outputs of a power flow (MATPOWER runpf with qlim): solve, then switch PV buses
// whose generators exceed their reactive limits to PQ and solve again.
import { BUS_PQ, BUS_PV, BUS_SLACK, type IndexedNetwork } from '../../grid/indexed-network.ts';
import type { FormulationAtState, PreparedFormulation } from './methods.ts';
import type { PowerFlowSolver, SolverOutcome } from './solver.ts';

/** Solved bus voltages and generator outputs, indexed like the in-service buses and generators. */
export interface SolvedBuses {
  readonly outcome: SolverOutcome;
  readonly vmPu: Float64Array;
  readonly vaRad: Float64Array;
  readonly pGenMw: Float64Array;
  readonly qGenMvar: Float64Array;
  readonly atQLimit: Uint8Array;
}

/**
 * Solve, then (if asked) switch PV buses whose generators exceed their reactive limits to PQ with the
 * generators fixed at the violated limit, and solve again until no PV bus violates (MATPOWER runpf, qlim).
 */
export function runWithReactiveLimits(
  net: IndexedNetwork,
  pLoadMw: Float64Array,
  qLoadMvar: Float64Array,
  enforceQLimits: boolean,
  solver: PowerFlowSolver,
  formulation: PreparedFormulation,
): { solution: SolvedBuses; atState: FormulationAtState } {
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
    const outcome = solver.solve(pSpecPu, qSpecPu, vmPu, vaRad, types);
    totalIterations += outcome.iterations;
    const atState = formulation.at(vmPu, vaRad);
    const { pMw: pCalcMw, qMvar: qCalcMvar } = atState.busInjections();
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
    const solution = {
      outcome: { ...outcome, iterations: totalIterations },
      vmPu,
      vaRad,
      pGenMw,
      qGenMvar,
      atQLimit,
    };
    if (!enforceQLimits || !outcome.converged) return { solution, atState };
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
    if (!switched) return { solution, atState };
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
