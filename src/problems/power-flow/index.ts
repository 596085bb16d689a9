// Power flow problem: Newton–Raphson, backward/forward sweep or DC power flow on a network, with result tables keyed
// by the input ids. Public API; the recipe is in prepared-power-flow.ts, the method → formulation/solver map in
// methods.ts, the solvers in newton-raphson.ts, backward-forward-sweep.ts and dc-power-flow.ts.
export { preparePowerFlow, solvePowerFlow } from './prepared-power-flow.ts';
export type { PowerFlowSolver, SolverOutcome, SolverSettings } from './solver.ts';
export {
  type BranchResult,
  type BusResult,
  type GeneratorResult,
  type LoadOverrides,
  POWER_FLOW_METHODS,
  type PowerFlowArrays,
  type PowerFlowMethod,
  type PowerFlowOptions,
  type PowerFlowResult,
  type PreparedPowerFlow,
} from './types.ts';
