// Phase-domain network model: buses with nodes 1–3, sources, lines, transformers, loads, capacitors, regulators (SI units).

/**
 * A square complex matrix stored row-major in two arrays (real and imaginary parts), `n × n`.
 * Used for per-element impedance and admittance matrices (ohm, siemens).
 */
export interface ComplexMatrix {
  readonly n: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * Node numbers follow OpenDSS: 1, 2, 3 are phases a, b, c; 0 is ground (the reference). A conductor list such as
 * `[3, 2]` connects an element's first terminal conductor to node 3 and its second to node 2.
 */
export type NodeNumber = number;

export interface ThreePhaseBus {
  /** Lower-case bus name. */
  readonly id: string;
  /** Line-to-line voltage base in kV; line-to-neutral base is this / √3. Undefined until voltage bases are set. */
  readonly baseKvLl?: number;
}

/** An ideal three-phase voltage source behind a 3×3 Thevenin impedance (OpenDSS Vsource). */
export interface ThreePhaseSource {
  readonly id: string;
  readonly bus: string;
  readonly nodes: readonly NodeNumber[];
  /** Line-to-neutral source EMF magnitude, V. */
  readonly vLnV: number;
  /** Angle of phase a, degrees; b and c lag by 120° and 240°. */
  readonly angleDeg: number;
  /** Thevenin impedance matrix between the EMF and `bus`, ohm. */
  readonly zOhm: ComplexMatrix;
}

/** A series element with a shunt capacitance split equally between its ends (π model). */
export interface ThreePhaseLine {
  readonly id: string;
  readonly fromBus: string;
  readonly toBus: string;
  readonly fromNodes: readonly NodeNumber[];
  readonly toNodes: readonly NodeNumber[];
  /** Total series impedance, ohm (n × n, n = conductors). */
  readonly zOhm: ComplexMatrix;
  /** Total shunt admittance (jωC), siemens; half at each end. */
  readonly yShuntS: ComplexMatrix;
}

export type WindingConnection = 'wye' | 'delta';

export interface TransformerWinding {
  readonly bus: string;
  /** Phase conductors of the winding (length = phases); wye windings are grounded. */
  readonly nodes: readonly NodeNumber[];
  readonly connection: WindingConnection;
  /** Rated voltage: line-to-line for three-phase banks, the winding voltage for single-phase units, kV. */
  readonly kv: number;
  readonly kva: number;
  /** Winding resistance in % on the winding rating. */
  readonly rPct: number;
  /** Off-nominal tap, per unit of rated voltage. */
  readonly tapPu: number;
}

/** Two-winding transformer bank of `phases` single-phase units; delta windings lag (ANSI: HV leads LV by 30°). */
export interface ThreePhaseTransformer {
  readonly id: string;
  readonly phases: number;
  readonly windings: readonly [TransformerWinding, TransformerWinding];
  /** Leakage reactance between the windings in % on the winding-1 rating. */
  readonly xhlPct: number;
}

/** Load models: constant power (OpenDSS model 1), constant impedance (2), constant current magnitude (5). */
export type LoadModel = 'constant-power' | 'constant-impedance' | 'constant-current';

/**
 * A wye or delta load. Wye: one element per node, node to ground. Delta: three-phase loads across 1–2, 2–3, 3–1;
 * single-phase delta loads across their two nodes. `kv` is OpenDSS's rated voltage (line-to-line for three-phase
 * and delta loads, the element voltage for single-phase wye loads). Consumption is positive.
 */
export interface ThreePhaseLoad {
  readonly id: string;
  readonly bus: string;
  readonly nodes: readonly NodeNumber[];
  readonly phases: number;
  readonly connection: WindingConnection;
  readonly kv: number;
  readonly pKw: number;
  readonly qKvar: number;
  readonly model: LoadModel;
  /** Below vMinPu and above vMaxPu of the rated voltage the load becomes constant impedance (OpenDSS). */
  readonly vMinPu: number;
  readonly vMaxPu: number;
}

/** A shunt capacitor bank, rated kvar at rated kV (same connection rules as loads). */
export interface ThreePhaseCapacitor {
  readonly id: string;
  readonly bus: string;
  readonly nodes: readonly NodeNumber[];
  readonly phases: number;
  readonly connection: WindingConnection;
  readonly kv: number;
  readonly kvar: number;
}

/** Tap control of one transformer winding with line-drop compensation (OpenDSS RegControl). */
export interface ThreePhaseRegulator {
  readonly id: string;
  readonly transformer: string;
  /** 1 or 2. */
  readonly winding: 1 | 2;
  /** Voltage set point on the PT secondary (e.g. 120 V base), V. */
  readonly vregV: number;
  readonly bandV: number;
  readonly ptRatio: number;
  /** CT primary rating, A: the compensator sees current / ctPrimA. */
  readonly ctPrimA: number;
  /** Line-drop compensator settings in volts (at ctPrimA). */
  readonly rV: number;
  readonly xV: number;
  readonly minTapPu: number;
  readonly maxTapPu: number;
  readonly numTaps: number;
}

export interface ThreePhaseNetwork {
  readonly name: string;
  readonly frequencyHz: number;
  readonly buses: readonly ThreePhaseBus[];
  readonly sources: readonly ThreePhaseSource[];
  readonly lines: readonly ThreePhaseLine[];
  readonly transformers: readonly ThreePhaseTransformer[];
  readonly loads: readonly ThreePhaseLoad[];
  readonly capacitors: readonly ThreePhaseCapacitor[];
  readonly regulators: readonly ThreePhaseRegulator[];
}
