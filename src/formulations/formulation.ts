// The interface every network formulation implements (in the spirit of PowerModels.jl `src/form/`): a model built
// once from the indexed network, a state layout, the power balance at every bus, the flow at both ends of every
// branch, series losses and linear sensitivities. Problems (power flow, OPF, DLMP) are recipes over it.
//
// Sign conventions, shared by every formulation (DESIGN.md): a bus injection is power flowing from the bus into the
// network (generation − load, MW / MVAr); a branch flow is measured at its end, positive into the branch; shunts
// report active power consumed and reactive power injected (as IndexedNetwork's gShuntMw / bShuntMvar). With these,
// every formulation's state satisfies, at every bus i,
//   busInjections_i = Σ_{branch ends at i} flow + (shunt.pMw_i, −shunt.qMvar_i)
// and, summed over the network, Σ_i P injection = Σ_b (pFrom_b + pTo_b) + Σ_i shunt.pMw_i with pFrom + pTo = pLoss.
import type { IndexedNetwork } from '../grid/indexed-network.ts';

export const FORMULATION_NAMES = ['ac-polar', 'dc', 'lin-dist-flow'] as const;
export type FormulationName = (typeof FORMULATION_NAMES)[number];

/** One value per in-service bus (MW / MVAr), indexed like IndexedNetwork.busIds. */
export interface BusPowers {
  readonly pMw: Float64Array;
  readonly qMvar: Float64Array;
}

/** Complex power flows at both ends of every in-service branch (MW, MVAr), positive into the branch. */
export interface BranchFlows {
  readonly pFromMw: Float64Array;
  readonly qFromMvar: Float64Array;
  readonly pToMw: Float64Array;
  readonly qToMvar: Float64Array;
}

/** Series losses of every in-service branch: I²R (MW) and I²X (MVAr), line charging excluded. */
export interface SeriesLosses {
  readonly pLossMw: Float64Array;
  readonly qLossMvar: Float64Array;
}

/** Bus voltages in polar form: magnitude (p.u.) and angle (rad) per in-service bus. */
export interface PolarState {
  readonly vmPu: Float64Array;
  readonly vaRad: Float64Array;
}

/** One kind of state variable: `count` copies of it, one per bus or per branch, in index order. */
export interface StateVariable {
  readonly name: string;
  readonly unit: string;
  readonly per: 'bus' | 'branch';
  readonly count: number;
}

/**
 * Linear sensitivities to the net active injection p_k (MW, generation positive) at each requested bus k, with
 * the slack bus taking up the change; column m belongs to injectionBuses[m].
 */
export interface VoltageSensitivities {
  /** dVmDpPuPerMw[m][j] = ∂|V_j|/∂p_k (p.u./MW); all zero where the formulation holds |V| fixed. */
  readonly dVmDpPuPerMw: Float64Array[];
  /** dVmDqPuPerMvar[m][j] = ∂|V_j|/∂q_k (p.u./MVAr). */
  readonly dVmDqPuPerMvar: Float64Array[];
}

/** A network formulation: `Model` is what buildModel precomputes, `State` the solved variables. */
export interface Formulation<Model, State> {
  readonly name: FormulationName;
  /** True when losses are identically zero (Σ injections = Σ shunt consumption exactly). */
  readonly isLossless: boolean;
  /** False when the formulation has no reactive power: Q injections, flows and losses are zero. */
  readonly hasReactivePower: boolean;
  /** True when the formulation needs a radial network (buildModel throws InputError otherwise). */
  readonly isRadialOnly: boolean;
  /** Precompute the formulation's structures (matrices, trees) for one network. */
  buildModel(net: IndexedNetwork): Model;
  /** The variables that make up a state, in order. */
  stateLayout(model: Model): readonly StateVariable[];
  /** Bus voltages of a state (magnitude 1 p.u. where the formulation fixes it, angle 0 where it has none). */
  busVoltages(model: Model, state: State): PolarState;
  /** Power balance: the net injection at every bus that the state implies, shunts included. */
  busInjections(model: Model, state: State): BusPowers;
  /** Shunt power at every bus: active consumed, reactive injected. */
  shunts(model: Model, state: State): BusPowers;
  /** Branch flow at both ends of every branch. */
  branchFlows(model: Model, state: State): BranchFlows;
  /** Series losses per branch (identically zero for a lossless formulation). */
  losses(model: Model, state: State): SeriesLosses;
  /**
   * ∂|V|/∂p and ∂|V|/∂q for injections at the given bus indices, linearised at the given bus voltages (a state's
   * busVoltages, or another formulation's: the DLMP evaluates LinDistFlow at the AC operating point).
   */
  voltageSensitivities(
    model: Model,
    voltages: PolarState,
    injectionBuses: ArrayLike<number>,
  ): VoltageSensitivities;
  /** flow[m][b] = ∂pFrom_b/∂p_k (MW/MW) at the given bus voltages, for injections at the given bus indices. */
  flowSensitivities(model: Model, voltages: PolarState, injectionBuses: ArrayLike<number>): Float64Array[];
}

/**
 * A formulation whose state follows from the bus voltages alone, so that a power flow solver (which produces
 * voltages) can hand its solution to it. State may carry derived quantities (e.g. rectangular voltages).
 */
export interface PolarFormulation<Model, State extends PolarState = PolarState>
  extends Formulation<Model, State> {
  /** The state of the given voltages; the arrays are used as they are, not copied. */
  polarState(model: Model, vmPu: Float64Array, vaRad: Float64Array): State;
}

/** Σ_j coefficients[j]·x[variables[j]] + constant, over the state variables in stateLayout order. */
export interface LinearExpression {
  readonly variables: Int32Array;
  readonly coefficients: Float64Array;
  readonly constant: number;
}

/** The constraints of a linear formulation in active power, ready for an LP/QP. */
export interface LinearConstraints {
  /** Net active injection at each bus (MW) with shunt consumption excluded: the balance is Σ pGen − pLoad − gSh. */
  readonly busInjectionMw: readonly LinearExpression[];
  /** Active flow at the from end of each branch (MW). */
  readonly branchFlowMw: readonly LinearExpression[];
  /** Bounds of every state variable (the reference angle is fixed; the rest are free). */
  readonly variableLower: Float64Array;
  readonly variableUpper: Float64Array;
  /** Bus voltage angles (rad) of a solution vector x of the state variables. */
  anglesOf(x: ArrayLike<number>): Float64Array;
}

/** A formulation that is linear in its state and can hand its constraints to an optimiser. */
export interface LinearFormulation<Model, State extends PolarState = PolarState>
  extends PolarFormulation<Model, State> {
  linearConstraints(model: Model): LinearConstraints;
}

/** Sum of an array in index order. */
export function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
