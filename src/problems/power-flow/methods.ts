// The power flow methods: each is a formulation (whose state is the bus voltages) and a solver for it. This map is
// the only place that knows which method is which; the prepared power flow looks its method up once.
import { POWER_FLOW_MAX_ITERATIONS, SWEEP_MAX_ITERATIONS } from '../../core/tolerances.ts';
import { AC_POLAR } from '../../formulations/ac-polar.ts';
import { DC } from '../../formulations/dc.ts';
import type {
  BranchFlows,
  BusPowers,
  FormulationName,
  PolarFormulation,
  PolarState,
  SeriesLosses,
} from '../../formulations/formulation.ts';
import type { IndexedNetwork } from '../../grid/indexed-network.ts';
import { buildRadialTree } from '../../grid/radial-tree.ts';
import { BackwardForwardSweepSolver } from './backward-forward-sweep.ts';
import { DcPowerFlowSolver } from './dc-power-flow.ts';
import { NewtonRaphsonSolver } from './newton-raphson.ts';
import type { PowerFlowSolver, SolverSettings } from './solver.ts';
import type { PowerFlowMethod } from './types.ts';

/** The formulation's quantities at one solved set of bus voltages. */
export interface FormulationAtState {
  busInjections(): BusPowers;
  shunts(): BusPowers;
  branchFlows(): BranchFlows;
  losses(): SeriesLosses;
}

/** A formulation with its model built for one network (model and state types hidden). */
export interface PreparedFormulation {
  readonly name: FormulationName;
  readonly hasReactivePower: boolean;
  /** The formulation at the given voltages (arrays used as they are; read them before they change). */
  at(vmPu: Float64Array, vaRad: Float64Array): FormulationAtState;
}

/** Bind a polar formulation to its model. */
export function prepareFormulation<Model, State extends PolarState>(
  formulation: PolarFormulation<Model, State>,
  model: Model,
): PreparedFormulation {
  return {
    name: formulation.name,
    hasReactivePower: formulation.hasReactivePower,
    at: (vmPu, vaRad) => {
      const state = formulation.polarState(model, vmPu, vaRad);
      return {
        busInjections: () => formulation.busInjections(model, state),
        shunts: () => formulation.shunts(model, state),
        branchFlows: () => formulation.branchFlows(model, state),
        losses: () => formulation.losses(model, state),
      };
    },
  };
}

export interface PowerFlowMethodDefinition {
  /** Iteration limit when the caller sets none. */
  readonly defaultMaxIterations: number;
  /** Build the formulation's model and the solver for one network (throws InputError when they do not apply). */
  prepare(
    net: IndexedNetwork,
    settings: SolverSettings,
  ): { formulation: PreparedFormulation; solver: PowerFlowSolver };
}

export const POWER_FLOW_METHOD_DEFINITIONS: Readonly<Record<PowerFlowMethod, PowerFlowMethodDefinition>> = {
  nr: {
    defaultMaxIterations: POWER_FLOW_MAX_ITERATIONS,
    prepare: (net, settings) => {
      const model = AC_POLAR.buildModel(net);
      const newton = new NewtonRaphsonSolver(model.admittance);
      return {
        formulation: prepareFormulation(AC_POLAR, model),
        solver: {
          solve: (pSpec, qSpec, vm, va, types) => newton.solve(types, pSpec, qSpec, vm, va, settings),
        },
      };
    },
  },
  bfs: {
    defaultMaxIterations: SWEEP_MAX_ITERATIONS,
    prepare: (net, settings) => {
      const model = AC_POLAR.buildModel(net);
      const sweep = new BackwardForwardSweepSolver(net, model.admittance, buildRadialTree(net));
      return {
        formulation: prepareFormulation(AC_POLAR, model),
        solver: { solve: (pSpec, qSpec, vm, va) => sweep.solve(pSpec, qSpec, vm, va, settings) },
      };
    },
  },
  dc: {
    defaultMaxIterations: POWER_FLOW_MAX_ITERATIONS,
    prepare: (net) => {
      const model = DC.buildModel(net);
      const dc = new DcPowerFlowSolver(net, model);
      return {
        formulation: prepareFormulation(DC, model),
        solver: {
          solve: (pSpec, _qSpec, vm, va) => {
            // The DC state holds |V| = 1 p.u.
            vm.fill(1);
            return dc.solve(pSpec, va);
          },
        },
      };
    },
  },
};
