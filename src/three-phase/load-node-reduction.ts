// The fixed-point iteration Y·V = I_source + I_comp(V) reduced to the load terminals (Z-bus compensation method):
// V = V₀ + Z_·L · I_comp, with V₀ = Y⁻¹·I_source and Z_LL = rows/columns of Y⁻¹ at the load nodes, precomputed once.
import { type SparseLuFactors, solveSparseLu } from '../numeric/sparse/index.ts';
import { addLoadCompensation } from './load-currents.ts';
import type { LoadElements } from './load-elements.ts';
import { GROUND } from './primitive-admittance.ts';

export interface LoadNodeReduction {
  /** Global indices of the nodes load elements connect to (m of them). */
  readonly loadNodes: Int32Array;
  /** Z_LL = (Y⁻¹) restricted to the load nodes, m × m complex, row-major, ohm. */
  readonly zRe: Float64Array;
  readonly zIm: Float64Array;
  /** No-load voltages V₀ = Y⁻¹·I_source, interleaved re/im over all nodes, V. */
  readonly v0: Float64Array;
}

/** m + 1 sparse solves: V₀ and one column of Y⁻¹ per load node. */
export function reduceToLoadNodes(
  factors: SparseLuFactors,
  n: number,
  elements: LoadElements,
  iSource: Float64Array,
): LoadNodeReduction {
  const set = new Set<number>();
  for (let e = 0; e < elements.count; e++) {
    if (elements.from[e] !== GROUND) set.add(elements.from[e]);
    if (elements.to[e] !== GROUND) set.add(elements.to[e]);
  }
  const loadNodes = Int32Array.from([...set].sort((a, b) => a - b));
  const m = loadNodes.length;
  const zRe = new Float64Array(m * m);
  const zIm = new Float64Array(m * m);
  const rhs = new Float64Array(2 * n);
  const column = new Float64Array(2 * n);
  for (let j = 0; j < m; j++) {
    rhs.fill(0);
    rhs[2 * loadNodes[j]] = 1;
    solveSparseLu(factors, rhs, column);
    for (let i = 0; i < m; i++) {
      zRe[i * m + j] = column[2 * loadNodes[i]];
      zIm[i * m + j] = column[2 * loadNodes[i] + 1];
    }
  }
  return { loadNodes, zRe, zIm, v0: solveSparseLu(factors, iSource) };
}

/** Work vectors of one prepared network, reused across solves. */
export interface ReducedWork {
  /** Full-length voltage and compensation vectors; only load-node entries are used. */
  readonly vFull: Float64Array;
  readonly compFull: Float64Array;
  /** Load-node voltages, interleaved re/im (2m). */
  readonly vLoad: Float64Array;
  /** Load-node compensation currents gathered for the dense product (re, im; m each). */
  readonly compRe: Float64Array;
  readonly compIm: Float64Array;
}

export function createReducedWork(n: number, m: number): ReducedWork {
  return {
    vFull: new Float64Array(2 * n),
    compFull: new Float64Array(2 * n),
    vLoad: new Float64Array(2 * m),
    compRe: new Float64Array(m),
    compIm: new Float64Array(m),
  };
}

/**
 * Iterate V_L ← V₀_L + Z_LL·I_comp(V_L) from `work.vLoad` until no load node moves by more than tolerance·|V|.
 * On return `work.compFull` holds the final compensation currents (for the full-network solve).
 */
export function iterateLoadNodes(
  reduction: LoadNodeReduction,
  elements: LoadElements,
  scales: ArrayLike<number> | undefined,
  work: ReducedWork,
  tolerance: number,
  maxIterations: number,
): { converged: boolean; iterations: number } {
  const { loadNodes, zRe, zIm, v0 } = reduction;
  const { vFull, compFull, vLoad, compRe, compIm } = work;
  const m = loadNodes.length;
  const tol2 = tolerance * tolerance;
  for (let it = 1; it <= maxIterations; it++) {
    for (let i = 0; i < m; i++) {
      const k = loadNodes[i];
      vFull[2 * k] = vLoad[2 * i];
      vFull[2 * k + 1] = vLoad[2 * i + 1];
      compFull[2 * k] = 0;
      compFull[2 * k + 1] = 0;
    }
    addLoadCompensation(elements, vFull, scales, compFull);
    for (let j = 0; j < m; j++) {
      compRe[j] = compFull[2 * loadNodes[j]];
      compIm[j] = compFull[2 * loadNodes[j] + 1];
    }
    let converged = true;
    for (let i = 0; i < m; i++) {
      let re = v0[2 * loadNodes[i]];
      let im = v0[2 * loadNodes[i] + 1];
      const row = i * m;
      for (let j = 0; j < m; j++) {
        const zr = zRe[row + j];
        const zi = zIm[row + j];
        re += zr * compRe[j] - zi * compIm[j];
        im += zr * compIm[j] + zi * compRe[j];
      }
      const dr = re - vLoad[2 * i];
      const di = im - vLoad[2 * i + 1];
      if (dr * dr + di * di > tol2 * (re * re + im * im) + 1e-24) converged = false;
      vLoad[2 * i] = re;
      vLoad[2 * i + 1] = im;
    }
    if (converged) return { converged, iterations: it };
  }
  return { converged: false, iterations: maxIterations };
}
