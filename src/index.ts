// gridnest public API: a curated list of re-exports. Deeper modules are reachable through their own index files.
export { InputError, type InputIssue } from './core/errors.ts';
export { type PriceSchedule, priceScheduleSchema } from './core/price-schedule.ts';
export type { ConvergenceStatus, OptimisationStatus, Status } from './core/status.ts';
export {
  buildLinDistFlow,
  computeVoltageSensitivities,
  isDownstream,
  type LinDistFlowModel,
  type LinDistFlowSolution,
  solveLinDistFlow,
} from './formulations/lin-dist-flow.ts';
export { createNetwork } from './grid/create-network.ts';
export { type IndexedNetwork, indexNetwork } from './grid/indexed-network.ts';
export { findNetworkWarnings, type NetworkWarning } from './grid/network-warnings.ts';
export type {
  Branch,
  Bus,
  ElementId,
  Generator,
  GeneratorCost,
  Load,
  Network,
  NetworkInput,
  Shunt,
} from './grid/schema.ts';
export { createSyntheticMeshedGrid, createSyntheticRadialFeeder } from './grid/synthetic-networks.ts';
export { findIslands, isRadial } from './grid/topology.ts';
export * from './io/index.ts';
export { ProblemBuilder, solveOptimisation } from './numeric/optimisation/index.ts';
export { type DcOpfResult, solveDcOpf } from './problems/opf/dc-opf.ts';
export {
  type PowerFlowMethod,
  type PowerFlowOptions,
  type PowerFlowResult,
  type PreparedPowerFlow,
  preparePowerFlow,
  solvePowerFlow,
} from './problems/power-flow/index.ts';
