// Node admittance matrix Y as a real 2n × 2n CSC matrix ([G −B; B G] per entry) with a reusable assembly plan.
import { type AssemblyPlan, assemble, type CscMatrix, createAssemblyPlan } from '../numeric/sparse/index.ts';
import { GROUND, type PrimitiveElement } from './primitive-admittance.ts';

/** Triplet pattern of a fixed list of primitives; `fill` writes their current values into the matrix. */
export interface SystemMatrix {
  readonly plan: AssemblyPlan;
  readonly matrix: CscMatrix;
  /** Reassemble after primitives changed in value (same terminals), in place. */
  refill(primitives: readonly PrimitiveElement[]): void;
}

/** Unknown k has real part at row 2k and imaginary part at row 2k + 1. */
export function buildSystemMatrix(size: number, primitives: readonly PrimitiveElement[]): SystemMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (const { terminals } of primitives) {
    for (const i of terminals) {
      if (i === GROUND) continue;
      for (const j of terminals) {
        if (j === GROUND) continue;
        rows.push(2 * i, 2 * i, 2 * i + 1, 2 * i + 1);
        cols.push(2 * j, 2 * j + 1, 2 * j, 2 * j + 1);
      }
    }
  }
  const plan = createAssemblyPlan(2 * size, 2 * size, Int32Array.from(rows), Int32Array.from(cols));
  const values = new Float64Array(rows.length);
  const fillValues = (list: readonly PrimitiveElement[]) => {
    let e = 0;
    for (const { terminals, y } of list) {
      const m = terminals.length;
      for (let a = 0; a < m; a++) {
        if (terminals[a] === GROUND) continue;
        for (let b = 0; b < m; b++) {
          if (terminals[b] === GROUND) continue;
          const g = y.re[a * m + b];
          const s = y.im[a * m + b];
          values[e++] = g;
          values[e++] = -s;
          values[e++] = s;
          values[e++] = g;
        }
      }
    }
  };
  fillValues(primitives);
  const matrix = assemble(plan, values);
  return {
    plan,
    matrix,
    refill(list) {
      fillValues(list);
      assemble(plan, values, matrix);
    },
  };
}

/** Currents into each terminal of a primitive, I = Y·V (A), from the interleaved voltage vector. */
export function primitiveCurrents(
  element: PrimitiveElement,
  v: Float64Array,
): { re: Float64Array; im: Float64Array } {
  const { terminals, y } = element;
  const m = terminals.length;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const t = terminals[b];
      if (t === GROUND) continue;
      const vr = v[2 * t];
      const vi = v[2 * t + 1];
      re[a] += y.re[a * m + b] * vr - y.im[a * m + b] * vi;
      im[a] += y.re[a * m + b] * vi + y.im[a * m + b] * vr;
    }
  }
  return { re, im };
}
