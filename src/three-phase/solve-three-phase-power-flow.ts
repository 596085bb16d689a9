// Three-phase power flow: fixed-point current injection on a once-factorised Y (OpenDSS "normal" mode) + tap control.
import {
  analyseSparseLu,
  factorSparseLu,
  refactorSparseLu,
  SingularMatrixError,
  type SparseLuFactors,
  solveSparseLu,
} from '../numeric/sparse/index.ts';
import { totalLoadPower } from './load-currents.ts';
import {
  buildLoadElements,
  capacitorPrimitives,
  type LoadElements,
  loadNominalPrimitives,
} from './load-elements.ts';
import {
  createReducedWork,
  iterateLoadNodes,
  type LoadNodeReduction,
  reduceToLoadNodes,
} from './load-node-reduction.ts';
import type { ThreePhaseNetwork, ThreePhaseTransformer } from './model.ts';
import {
  GROUND,
  linePrimitive,
  NodeIndex,
  type PrimitiveElement,
  sourcePrimitives,
  transformerPrimitives,
  twoTerminalPrimitive,
} from './primitive-admittance.ts';
import { createRegulatorStates, type RegulatorState, stepRegulators } from './regulator-control.ts';
import { buildSystemMatrix, primitiveCurrents, type SystemMatrix } from './system-matrix.ts';

export interface ThreePhaseSolveOptions {
  /** Fixed-point iterations per control pass (default 100). */
  readonly maxIterations?: number;
  /** Largest |ΔV| / |V| of any node between two iterations at convergence (default 1e-9). */
  readonly tolerance?: number;
  /** Regulator control passes (default 30; 0 keeps the taps as given). */
  readonly maxControlIterations?: number;
}

const FLOATING_NODE_SIEMENS = 1e-6;

export type ThreePhaseStatus = 'converged' | 'max-iterations' | 'singular';

export interface ThreePhasePowerFlowResult {
  readonly status: ThreePhaseStatus;
  /** Fixed-point iterations summed over all control passes. */
  readonly iterations: number;
  readonly controlIterations: number;
  readonly nodes: NodeIndex;
  /** Node voltages to ground, V (index = NodeIndex order). */
  readonly vRe: Float64Array;
  readonly vIm: Float64Array;
  /** Power delivered into the network by the sources (behind their Thevenin impedance excluded), W / var. */
  readonly sourcePW: number;
  readonly sourceQVar: number;
  readonly loadPW: number;
  readonly loadQVar: number;
  /** sourceP − loadP: the losses of lines and transformers (capacitors draw no real power), W. */
  readonly lossesW: number;
  /** Final tap of each regulator, p.u., in network.regulators order. */
  readonly regulatorTapsPu: readonly number[];
}

export interface PreparedThreePhasePowerFlow {
  readonly nodes: NodeIndex;
  readonly loadElements: LoadElements;
  /**
   * Solve with each load's rated P and Q multiplied by `loadScales[i]` (network.loads order; default 1). With
   * `warmStart` the iteration starts from the previous solve's load-node voltages (time series), else from no load.
   */
  solve(
    loadScales?: ArrayLike<number>,
    options?: { readonly warmStart?: boolean },
  ): ThreePhasePowerFlowResult;
}

/** The nodes of the parts of the network that no element connects to ground. */
function ungroundedNodes(
  n: number,
  primitives: readonly PrimitiveElement[],
  transformerUnits: ReadonlySet<PrimitiveElement>,
  sources: ReadonlySet<PrimitiveElement>,
): number[] {
  const parent = Int32Array.from({ length: n + 1 }, (_, k) => k); // n stands for ground
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  const join = (a: number, b: number) => {
    parent[find(a === GROUND ? n : a)] = find(b === GROUND ? n : b);
  };
  for (const element of primitives) {
    const t = element.terminals;
    // Sources are Norton admittances to ground.
    if (sources.has(element)) for (const terminal of t) join(terminal, GROUND);
    // A transformer unit couples its two windings magnetically only: each winding is its own part.
    if (transformerUnits.has(element)) {
      join(t[0], t[1]);
      join(t[2], t[3]);
    } else for (const terminal of t) join(terminal, t[0]);
  }
  const ground = find(n);
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (find(k) !== ground) out.push(k);
  return out;
}

/** Norton current Y·E of a source at each of its terminals, A. */
function nortonCurrents(
  element: PrimitiveElement,
  emfRe: Float64Array,
  emfIm: Float64Array,
): { re: Float64Array; im: Float64Array } {
  const m = element.terminals.length;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      re[a] += element.y.re[a * m + b] * emfRe[b] - element.y.im[a * m + b] * emfIm[b];
      im[a] += element.y.re[a * m + b] * emfIm[b] + element.y.im[a * m + b] * emfRe[b];
    }
  }
  return { re, im };
}

function withTap(transformer: ThreePhaseTransformer, winding: 1 | 2, tapPu: number): ThreePhaseTransformer {
  const windings = transformer.windings.map((w, k) => (k === winding - 1 ? { ...w, tapPu } : w));
  return { ...transformer, windings: windings as [(typeof windings)[0], (typeof windings)[0]] };
}

/** Build Y once (sources' Norton admittance, lines, transformer units, nominal loads, capacitors) and factorise it. */
export function prepareThreePhasePowerFlow(
  network: ThreePhaseNetwork,
  options: ThreePhaseSolveOptions = {},
): PreparedThreePhasePowerFlow {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const maxControl = options.maxControlIterations ?? 30;
  const nodes = new NodeIndex();
  const sources = sourcePrimitives(network, nodes);
  const primitives: PrimitiveElement[] = sources.map((s) => s.element);
  for (const line of network.lines) primitives.push(linePrimitive(line, nodes));
  const transformerStart: number[] = [];
  const transformerUnits: PrimitiveElement[][] = [];
  for (const transformer of network.transformers) {
    transformerStart.push(primitives.length);
    const units = transformerPrimitives(transformer, nodes);
    transformerUnits.push(units);
    primitives.push(...units);
  }
  const loadElements = buildLoadElements(network, nodes);
  primitives.push(...loadNominalPrimitives(loadElements), ...capacitorPrimitives(network, nodes));
  const n = nodes.size;
  // Nodes of parts with no path to ground (a delta secondary with delta loads) get equal tiny conductances to ground,
  // as a real system's leakage fixes their potential (neutral at the centroid); grounded parts are untouched.
  for (const k of ungroundedNodes(
    n,
    primitives,
    new Set(transformerUnits.flat()),
    new Set(sources.map((s) => s.element)),
  ))
    primitives.push(twoTerminalPrimitive(k, GROUND, FLOATING_NODE_SIEMENS, 0));
  const system: SystemMatrix = buildSystemMatrix(n, primitives);
  const symbolic = analyseSparseLu(system.matrix);
  let factors: SparseLuFactors | undefined;
  let singular = false;
  try {
    factors = factorSparseLu(system.matrix, symbolic);
  } catch (error) {
    if (!(error instanceof SingularMatrixError)) throw error;
    singular = true;
  }
  const norton = sources.map(({ element, emfRe, emfIm }) => nortonCurrents(element, emfRe, emfIm));
  const iSource = new Float64Array(2 * n);
  sources.forEach(({ element }, s) => {
    element.terminals.forEach((t, a) => {
      iSource[2 * t] += norton[s].re[a];
      iSource[2 * t + 1] += norton[s].im[a];
    });
  });
  const initialTaps = createRegulatorStates(network).map((s) => s.tapPu);

  let reduction: LoadNodeReduction | undefined = factors
    ? reduceToLoadNodes(factors, n, loadElements, iSource)
    : undefined;
  const work = createReducedWork(n, reduction?.loadNodes.length ?? 0);
  let hasPrevious = false;
  const v = new Float64Array(2 * n);
  const rhs = new Float64Array(2 * n);

  const setTaps = (states: readonly RegulatorState[]) => {
    for (const state of states) {
      const t = network.transformers[state.transformerIndex];
      const units = transformerPrimitives(withTap(t, state.regulator.winding, state.tapPu), nodes);
      transformerUnits[state.transformerIndex] = units;
      units.forEach((u, k) => {
        primitives[transformerStart[state.transformerIndex] + k] = u;
      });
    }
    system.refill(primitives);
    if (factors) {
      factors = refactorSparseLu(factors, system.matrix);
      reduction = reduceToLoadNodes(factors, n, loadElements, iSource);
    }
  };

  const solve = (loadScales?: ArrayLike<number>, solveOptions: { warmStart?: boolean } = {}) => {
    const states = createRegulatorStates(network);
    const tapsMoved = states.some((s, k) => s.tapPu !== initialTaps[k]);
    states.forEach((s, k) => {
      s.tapPu = initialTaps[k];
    });
    if (tapsMoved || (states.length > 0 && hasPrevious)) setTaps(states);
    v.fill(0);
    let status: ThreePhaseStatus = singular ? 'singular' : 'max-iterations';
    let iterations = 0;
    let controlIterations = 0;
    if (factors && reduction) {
      const loadNodes = reduction.loadNodes;
      if (!(solveOptions.warmStart && hasPrevious))
        loadNodes.forEach((k, i) => {
          work.vLoad[2 * i] = reduction?.v0[2 * k] ?? 0;
          work.vLoad[2 * i + 1] = reduction?.v0[2 * k + 1] ?? 0;
        });
      for (let pass = 0; ; pass++) {
        const run = iterateLoadNodes(reduction, loadElements, loadScales, work, tolerance, maxIterations);
        iterations += run.iterations;
        // Full network: Y·V = I_source + I_comp at the final load-node voltages.
        rhs.set(iSource);
        for (const k of loadNodes) {
          rhs[2 * k] += work.compFull[2 * k];
          rhs[2 * k + 1] += work.compFull[2 * k + 1];
        }
        solveSparseLu(factors, rhs, v);
        status = run.converged ? 'converged' : 'max-iterations';
        if (!run.converged || pass >= maxControl || states.length === 0) break;
        if (!stepRegulators(states, (t) => transformerUnits[t], v)) break;
        controlIterations++;
        setTaps(states);
      }
      hasPrevious = true;
    }
    let sourcePW = 0;
    let sourceQVar = 0;
    sources.forEach(({ element }, s) => {
      // Current into the network at each terminal = Y·E − Y·V.
      const yv = primitiveCurrents(element, v);
      element.terminals.forEach((t, a) => {
        const ir = norton[s].re[a] - yv.re[a];
        const ii = norton[s].im[a] - yv.im[a];
        sourcePW += v[2 * t] * ir + v[2 * t + 1] * ii;
        sourceQVar += v[2 * t + 1] * ir - v[2 * t] * ii;
      });
    });
    const load = totalLoadPower(loadElements, v, loadScales);
    const vRe = new Float64Array(n);
    const vIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      vRe[k] = v[2 * k];
      vIm[k] = v[2 * k + 1];
    }
    return {
      status,
      iterations,
      controlIterations,
      nodes,
      vRe,
      vIm,
      sourcePW,
      sourceQVar,
      loadPW: load.pW,
      loadQVar: load.qVar,
      lossesW: sourcePW - load.pW,
      regulatorTapsPu: states.map((s) => s.tapPu),
    };
  };
  return { nodes, loadElements, solve };
}

/** Solve once (see prepareThreePhasePowerFlow). */
export function solveThreePhasePowerFlow(
  network: ThreePhaseNetwork,
  options: ThreePhaseSolveOptions = {},
): ThreePhasePowerFlowResult {
  return prepareThreePhasePowerFlow(network, options).solve();
}
