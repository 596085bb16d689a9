// Conformance suite every formulation passes (one suite, run on each implementation at the bottom of this file):
// the state layout, the power balance at every bus and over the network (Σ injections = losses + shunts), branch
// flows consistent with the losses, and sensitivities equal to finite differences of the formulation's own solve.
import { describe, expect, it } from 'vitest';
import { type IndexedNetwork, indexNetwork } from '../grid/indexed-network.ts';
import type { Network } from '../grid/schema.ts';
import { loadCase } from '../io/case-registry.ts';
import { preparePowerFlow } from '../problems/power-flow/index.ts';
import { AC_POLAR } from './ac-polar.ts';
import { DC } from './dc.ts';
import {
  type BusPowers,
  FORMULATION_NAMES,
  type Formulation,
  type FormulationName,
  type PolarFormulation,
  type PolarState,
  sumOf,
} from './formulation.ts';
import { defaultNetLoad, LIN_DIST_FLOW, solveLinDistFlow } from './lin-dist-flow.ts';

/** An extra net injection at one bus (MW / MVAr, generation positive), for finite differences. */
interface InjectionChange {
  readonly bus: number;
  readonly pMw: number;
  readonly qMvar: number;
}

interface Solved<Model, State> {
  readonly net: IndexedNetwork;
  readonly model: Model;
  readonly state: State;
  /** The specified net injection at every bus (generation − load; the slack's from its solved output). */
  readonly injection: BusPowers;
}

/** What the suite needs to exercise one formulation. */
export interface FormulationSubject<Model, State> {
  readonly formulation: Formulation<Model, State>;
  /** Bundled cases the formulation applies to. */
  readonly cases: readonly string[];
  /** How closely the solved state meets the specified injections (MW): the solver's stopping rule. */
  readonly balanceToleranceMw: number;
  /** Relative tolerance of the sensitivities against central finite differences of step stepPu·baseMva. */
  readonly sensitivityTolerance: number;
  readonly stepPu: number;
  solve(network: Network, change?: InjectionChange): Solved<Model, State>;
}

const maxAbs = (values: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]));
  return worst;
};

/** Net injection per bus (generation − load) from solved generator outputs and the loads used. */
function generationMinusLoad(
  net: IndexedNetwork,
  arrays: { pGenMw: Float64Array; qGenMvar: Float64Array; pLoadMw: Float64Array; qLoadMvar: Float64Array },
): BusPowers {
  const pMw = Float64Array.from(arrays.pLoadMw, (p) => -p);
  const qMvar = Float64Array.from(arrays.qLoadMvar, (q) => -q);
  for (let g = 0; g < net.generatorCount; g++) {
    pMw[net.generatorBus[g]] += arrays.pGenMw[g];
    qMvar[net.generatorBus[g]] += arrays.qGenMvar[g];
  }
  return { pMw, qMvar };
}

/** A polar formulation solved by the power flow method that produces its state. */
function powerFlowSubject<Model, State extends PolarState>(
  formulation: PolarFormulation<Model, State>,
  method: 'nr' | 'dc',
  settings: Pick<
    FormulationSubject<Model, State>,
    'cases' | 'balanceToleranceMw' | 'sensitivityTolerance' | 'stepPu'
  >,
): FormulationSubject<Model, State> {
  return {
    formulation,
    ...settings,
    solve: (network, change) => {
      const prepared = preparePowerFlow(network, { method });
      const net = prepared.indexed;
      const pLoadMw = Float64Array.from(net.pLoadMw);
      const qLoadMvar = Float64Array.from(net.qLoadMvar);
      if (change) {
        pLoadMw[change.bus] -= change.pMw;
        qLoadMvar[change.bus] -= change.qMvar;
      }
      const arrays = prepared.solveArrays({ pLoadMw, qLoadMvar });
      expect(arrays.outcome.converged).toBe(true);
      const model = formulation.buildModel(net);
      const state = formulation.polarState(model, arrays.vmPu, arrays.vaRad);
      return { net, model, state, injection: generationMinusLoad(net, arrays) };
    },
  };
}

const SUBJECTS = {
  // Newton–Raphson stops at ‖mismatch‖∞ < 1e-8 p.u., i.e. 1e-6 MW on a 100 MVA base.
  'ac-polar': powerFlowSubject(AC_POLAR, 'nr', {
    cases: ['case9', 'case14', 'case30', 'case33bw', 'cigre-mv'],
    balanceToleranceMw: 1e-6,
    sensitivityTolerance: 1e-5,
    stepPu: 1e-4,
  }),
  dc: powerFlowSubject(DC, 'dc', {
    cases: ['case9', 'case14', 'case30', 'case118'],
    balanceToleranceMw: 1e-9,
    sensitivityTolerance: 1e-9,
    stepPu: 1e-2,
  }),
  'lin-dist-flow': {
    formulation: LIN_DIST_FLOW,
    cases: ['case33bw', 'case69', 'cigre-mv', 'cigre-lv'],
    balanceToleranceMw: 1e-9,
    sensitivityTolerance: 1e-6,
    stepPu: 1e-4,
    solve: (network, change) => {
      const net = indexNetwork(network);
      const model = LIN_DIST_FLOW.buildModel(net);
      const load = defaultNetLoad(net);
      if (change) {
        load.pMw[change.bus] -= change.pMw;
        load.qMvar[change.bus] -= change.qMvar;
      }
      const state = solveLinDistFlow(model, load.pMw, load.qMvar);
      const pMw = load.pMw.map((p) => -p);
      const qMvar = load.qMvar.map((q) => -q);
      const root = model.tree.order[0];
      pMw[root] += state.pSlackMw;
      qMvar[root] += state.qSlackMvar;
      return { net, model, state, injection: { pMw, qMvar } };
    },
  } satisfies FormulationSubject<
    ReturnType<typeof LIN_DIST_FLOW.buildModel>,
    ReturnType<typeof solveLinDistFlow>
  >,
} as const satisfies Record<FormulationName, unknown>;

/** Σ of the flows leaving each bus over the branch ends at it (MW and MVAr). */
function flowsLeavingBuses(
  net: IndexedNetwork,
  flows: ReturnType<Formulation<unknown, unknown>['branchFlows']>,
) {
  const pMw = new Float64Array(net.busCount);
  const qMvar = new Float64Array(net.busCount);
  for (let k = 0; k < net.branchCount; k++) {
    pMw[net.branchFrom[k]] += flows.pFromMw[k];
    qMvar[net.branchFrom[k]] += flows.qFromMvar[k];
    pMw[net.branchTo[k]] += flows.pToMw[k];
    qMvar[net.branchTo[k]] += flows.qToMvar[k];
  }
  return { pMw, qMvar };
}

export function describeFormulationConformance<Model, State>(
  subject: FormulationSubject<Model, State>,
): void {
  const { formulation } = subject;
  describe(`${formulation.name} conformance`, () => {
    for (const name of subject.cases) {
      describe(name, () => {
        const network = loadCase(name);
        const { net, model, state, injection } = subject.solve(network);
        const flows = formulation.branchFlows(model, state);
        const losses = formulation.losses(model, state);
        const shunts = formulation.shunts(model, state);
        const scaleMw = Math.max(1, maxAbs(injection.pMw));

        it('lays out one value per bus or branch for every state variable', () => {
          const layout = formulation.stateLayout(model);
          expect(layout.length).toBeGreaterThan(0);
          for (const variable of layout) {
            expect(variable.count).toBe(variable.per === 'bus' ? net.busCount : net.branchCount);
          }
          const voltages = formulation.busVoltages(model, state);
          expect(voltages.vmPu.length).toBe(net.busCount);
          expect(voltages.vaRad.length).toBe(net.busCount);
          expect([...voltages.vmPu, ...voltages.vaRad].every(Number.isFinite)).toBe(true);
        });

        it(`meets the specified injection at every bus to ${subject.balanceToleranceMw} MW`, () => {
          const computed = formulation.busInjections(model, state);
          for (let i = 0; i < net.busCount; i++) {
            expect(Math.abs(computed.pMw[i] - injection.pMw[i])).toBeLessThan(subject.balanceToleranceMw);
            if (formulation.hasReactivePower)
              expect(Math.abs(computed.qMvar[i] - injection.qMvar[i])).toBeLessThan(
                subject.balanceToleranceMw,
              );
          }
        });

        it('balances every bus: injection = flows leaving it + shunt', () => {
          const computed = formulation.busInjections(model, state);
          const leaving = flowsLeavingBuses(net, flows);
          for (let i = 0; i < net.busCount; i++) {
            expect(Math.abs(computed.pMw[i] - leaving.pMw[i] - shunts.pMw[i])).toBeLessThan(1e-9 * scaleMw);
            if (formulation.hasReactivePower) {
              const q = computed.qMvar[i] - leaving.qMvar[i] + shunts.qMvar[i];
              expect(Math.abs(q)).toBeLessThan(1e-9 * scaleMw);
            }
          }
        });

        it('carries its series losses on every branch: pFrom + pTo = pLoss', () => {
          for (let k = 0; k < net.branchCount; k++) {
            const residual = flows.pFromMw[k] + flows.pToMw[k] - losses.pLossMw[k];
            expect(Math.abs(residual)).toBeLessThan(1e-9 * scaleMw);
          }
        });

        if (formulation.isLossless) {
          it('is exactly lossless: zero losses, Σ injections = Σ shunt consumption', () => {
            expect([...losses.pLossMw, ...losses.qLossMvar].every((v) => v === 0)).toBe(true);
            const residual = sumOf(injection.pMw) - sumOf(shunts.pMw);
            expect(Math.abs(residual)).toBeLessThan(1e-9 * scaleMw);
          });
        } else {
          it(`balances the network: Σ injections = Σ losses + Σ shunts to ${subject.balanceToleranceMw} MW`, () => {
            expect(sumOf(losses.pLossMw)).toBeGreaterThan(0);
            const residual = sumOf(injection.pMw) - sumOf(losses.pLossMw) - sumOf(shunts.pMw);
            expect(Math.abs(residual)).toBeLessThan(subject.balanceToleranceMw);
          });
        }

        it('has sensitivities equal to central differences of its own solve', () => {
          const slack = new Set(net.slackBus);
          const buses = [1, Math.floor(net.busCount / 2), net.busCount - 1].filter((i) => !slack.has(i));
          const voltages = formulation.busVoltages(model, state);
          const { dVmDpPuPerMw, dVmDqPuPerMvar } = formulation.voltageSensitivities(model, voltages, buses);
          const dFlow = formulation.flowSensitivities(model, voltages, buses);
          const h = subject.stepPu * net.baseMva;
          const solveWith = (bus: number, pMw: number, qMvar: number) => {
            const s = subject.solve(network, { bus, pMw, qMvar });
            return {
              vmPu: formulation.busVoltages(s.model, s.state).vmPu,
              pFromMw: formulation.branchFlows(s.model, s.state).pFromMw,
            };
          };
          const expectClose = (analytic: Float64Array, plus: Float64Array, minus: Float64Array) => {
            const difference = Float64Array.from(plus, (v, j) => (v - minus[j]) / (2 * h));
            const scale = Math.max(maxAbs(difference), 1e-12);
            for (let j = 0; j < analytic.length; j++) {
              expect(Math.abs(analytic[j] - difference[j])).toBeLessThanOrEqual(
                subject.sensitivityTolerance * scale,
              );
            }
          };
          buses.forEach((k, m) => {
            const upP = solveWith(k, h, 0);
            const downP = solveWith(k, -h, 0);
            expectClose(dVmDpPuPerMw[m], upP.vmPu, downP.vmPu);
            expectClose(dFlow[m], upP.pFromMw, downP.pFromMw);
            const upQ = solveWith(k, 0, h);
            const downQ = solveWith(k, 0, -h);
            expectClose(dVmDqPuPerMvar[m], upQ.vmPu, downQ.vmPu);
          });
        });
      });
    }
  });
}

// Every formulation, by name: adding one to FORMULATION_NAMES without a subject here does not compile.
const RUN: Record<FormulationName, () => void> = {
  'ac-polar': () => describeFormulationConformance(SUBJECTS['ac-polar']),
  dc: () => describeFormulationConformance(SUBJECTS.dc),
  'lin-dist-flow': () => describeFormulationConformance(SUBJECTS['lin-dist-flow']),
};
for (const name of FORMULATION_NAMES) RUN[name]();
