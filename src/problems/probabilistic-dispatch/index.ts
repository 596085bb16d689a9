// Probabilistic (chance-constrained) DLMP dispatch of a radial feeder, its network reduction and closed-loop check.
export {
  COMPARED_MECHANISMS,
  type ComparedMechanism,
  compareMechanisms,
  type MechanismMetrics,
  type ScenarioSet,
} from './closed-loop.ts';
export { type ReducedNetwork, reduceRadialNetwork } from './reduce-network.ts';
export {
  buildFlexibilityBids,
  type DispatchFeeder,
  type DispatchIntervalDiagnostics,
  type DispatchLocation,
  type LocationFlexibility,
  type ProbabilisticDispatchDiagnostics,
  type ProbabilisticDispatchInput,
  type ProbabilisticDispatchResult,
  solveProbabilisticDispatch,
} from './solve-probabilistic-dispatch.ts';
