// Primitive admittance matrices of lines, transformer units, sources and shunts, on a global node numbering.
import { createComplexMatrix, invertComplexMatrix } from './complex-matrix.ts';
import type {
  ComplexMatrix,
  NodeNumber,
  ThreePhaseLine,
  ThreePhaseNetwork,
  ThreePhaseTransformer,
  WindingConnection,
} from './model.ts';

/** Index of the ground reference in terminal lists. */
export const GROUND = -1;

/** An element's admittance matrix between its terminals (global node indices, GROUND for the reference), S. */
export interface PrimitiveElement {
  readonly terminals: Int32Array;
  readonly y: ComplexMatrix;
}

/** Global numbering of the (bus, node) pairs that carry an unknown voltage; node 0 is ground. */
export class NodeIndex {
  readonly keys: string[] = [];
  readonly busOfNode: string[] = [];
  readonly nodeNumber: number[] = [];
  readonly #byKey = new Map<string, number>();

  /** Index of `bus.node`, created on first use; GROUND for node 0. */
  of(bus: string, node: NodeNumber): number {
    if (node === 0) return GROUND;
    const key = `${bus}.${node}`;
    let index = this.#byKey.get(key);
    if (index === undefined) {
      index = this.keys.length;
      this.keys.push(key);
      this.busOfNode.push(bus);
      this.nodeNumber.push(node);
      this.#byKey.set(key, index);
    }
    return index;
  }

  find(bus: string, node: NodeNumber): number | undefined {
    return node === 0 ? GROUND : this.#byKey.get(`${bus}.${node}`);
  }

  get size(): number {
    return this.keys.length;
  }
}

/** π model of a line: [[Y + Ysh/2, −Y], [−Y, Y + Ysh/2]] with Y = Z⁻¹. */
export function linePrimitive(line: ThreePhaseLine, index: NodeIndex): PrimitiveElement {
  const n = line.zOhm.n;
  const ys = invertComplexMatrix(line.zOhm);
  const y = createComplexMatrix(2 * n);
  const m = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const sr = ys.re[i * n + j];
      const si = ys.im[i * n + j];
      const hr = line.yShuntS.re[i * n + j] / 2;
      const hi = line.yShuntS.im[i * n + j] / 2;
      for (const [a, b, sign, sh] of [
        [0, 0, 1, 1],
        [n, n, 1, 1],
        [0, n, -1, 0],
        [n, 0, -1, 0],
      ]) {
        y.re[(a + i) * m + b + j] = sign * sr + sh * hr;
        y.im[(a + i) * m + b + j] = sign * si + sh * hi;
      }
    }
  }
  const terminals = Int32Array.from([
    ...line.fromNodes.map((node) => index.of(line.fromBus, node)),
    ...line.toNodes.map((node) => index.of(line.toBus, node)),
  ]);
  return { terminals, y };
}

/**
 * Terminal pair (from, to) of the winding of unit `k`: wye to its neutral (ground); delta from phase k to the phase
 * before it, or after it (`forward`) for a delta winding 2 behind a wye winding 1, so that Dy and Yd banks both put
 * the LV side 30° behind the HV side (ANSI) and Dd and Yy banks shift nothing.
 */
function windingTerminals(
  connection: WindingConnection,
  nodes: readonly NodeNumber[],
  phases: number,
  k: number,
  forward = false,
): [NodeNumber, NodeNumber] {
  if (connection === 'wye') return [nodes[k], nodes[phases] ?? 0];
  if (phases === 1) return [nodes[0], nodes[1] ?? 0];
  return [nodes[k], nodes[(k + (forward ? 1 : phases - 1)) % phases]];
}

/** Rated voltage of one unit's winding, kV: line-to-neutral for a wye bank, else the given kV. */
function unitWindingKv(connection: WindingConnection, kv: number, phases: number): number {
  return connection === 'wye' && phases > 1 ? kv / Math.sqrt(3) : kv;
}

/**
 * Single-phase units of a transformer bank. Each unit is an ideal transformer of ratio a = (V₁·t₁)/(V₂·t₂) with the
 * leakage impedance z (Σ%r + j%XHL on the unit rating) on winding 2: Y_w = (1/z)·[[1/a², −1/a], [−1/a, 1]],
 * spread to the four winding terminals by the incidence (+1, −1) of each winding (Kersting ch. 8; Dugan, OpenDSS
 * transformer model).
 */
export function transformerPrimitives(
  transformer: ThreePhaseTransformer,
  index: NodeIndex,
): PrimitiveElement[] {
  const [w1, w2] = transformer.windings;
  const phases = transformer.phases;
  const kv1 = unitWindingKv(w1.connection, w1.kv, phases);
  const kv2 = unitWindingKv(w2.connection, w2.kv, phases);
  const unitKva = w1.kva / phases;
  const zBase2Ohm = (kv2 * kv2 * 1000) / unitKva;
  const zRe = ((w1.rPct + w2.rPct) / 100) * zBase2Ohm;
  const zIm = (transformer.xhlPct / 100) * zBase2Ohm;
  const zMag2 = zRe * zRe + zIm * zIm;
  const yRe = zRe / zMag2;
  const yIm = -zIm / zMag2;
  const a = (kv1 * w1.tapPu) / (kv2 * w2.tapPu);
  const winding = [1 / (a * a), -1 / a, -1 / a, 1];
  const units: PrimitiveElement[] = [];
  for (let k = 0; k < phases; k++) {
    const [p1, q1] = windingTerminals(w1.connection, w1.nodes, phases, k);
    const [p2, q2] = windingTerminals(w2.connection, w2.nodes, phases, k, w1.connection === 'wye');
    const terminals = Int32Array.from([
      index.of(w1.bus, p1),
      index.of(w1.bus, q1),
      index.of(w2.bus, p2),
      index.of(w2.bus, q2),
    ]);
    const y = createComplexMatrix(4);
    const sign = [1, -1, 1, -1];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const w = winding[(i >> 1) * 2 + (j >> 1)] * sign[i] * sign[j];
        y.re[i * 4 + j] = w * yRe;
        y.im[i * 4 + j] = w * yIm;
      }
    }
    units.push({ terminals, y });
  }
  return units;
}

/** A two-terminal admittance y between `p` and `q` (either may be GROUND). */
export function twoTerminalPrimitive(p: number, q: number, yRe: number, yIm: number): PrimitiveElement {
  const y = createComplexMatrix(2);
  y.re.set([yRe, -yRe, -yRe, yRe]);
  y.im.set([yIm, -yIm, -yIm, yIm]);
  return { terminals: Int32Array.from([p, q]), y };
}

/** Norton admittance of each source (Z⁻¹ at its bus nodes) and its EMF phasors (V, re/im per conductor). */
export function sourcePrimitives(
  network: ThreePhaseNetwork,
  index: NodeIndex,
): { element: PrimitiveElement; emfRe: Float64Array; emfIm: Float64Array }[] {
  return network.sources.map((source) => {
    const emfRe = new Float64Array(source.nodes.length);
    const emfIm = new Float64Array(source.nodes.length);
    source.nodes.forEach((node, k) => {
      const angleRad = ((source.angleDeg - 120 * ((node - 1) % 3)) * Math.PI) / 180;
      emfRe[k] = source.vLnV * Math.cos(angleRad);
      emfIm[k] = source.vLnV * Math.sin(angleRad);
    });
    const terminals = Int32Array.from(source.nodes.map((node) => index.of(source.bus, node)));
    return { element: { terminals, y: invertComplexMatrix(source.zOhm) }, emfRe, emfIm };
  });
}
