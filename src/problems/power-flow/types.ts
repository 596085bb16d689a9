// Public types of the power flow problem: options, the pandapower-style result tables (res_bus / res_branch /
// res_gen beside the inputs) and the prepared power flow for repeated solves.
import type { ConvergenceStatus } from '../../core/status.ts';
import type { IndexedNetwork } from '../../grid/indexed-network.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import type { SolverOutcome } from './solver.ts';

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
  readonly outcome: SolverOutcome;
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
