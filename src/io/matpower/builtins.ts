// Built-in names of the MATPOWER subset: constants (pi, Inf, NaN …), elementwise functions (sqrt, abs, round …),
// and zeros, ones, size, numel, length.
import { type FailAtLine, mapMatrix, matrix, requireNumeric, scalar, type Value } from './values.ts';

export const CONSTANTS: Record<string, number> = {
  pi: Math.PI,
  Inf: Number.POSITIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  NaN: Number.NaN,
  nan: Number.NaN,
  eps: Number.EPSILON,
  true: 1,
  false: 0,
};

export const ELEMENTWISE_FUNCTIONS: Record<string, (x: number) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  round: (x) => Math.sign(x) * Math.round(Math.abs(x)),
  floor: Math.floor,
  ceil: Math.ceil,
  fix: Math.trunc,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
};

/** Built-in function `name` applied to evaluated arguments, or undefined when no built-in takes them. */
export function callBuiltin(name: string, values: readonly Value[], fail: FailAtLine): Value | undefined {
  const elementwise = ELEMENTWISE_FUNCTIONS[name];
  if (elementwise !== undefined && values.length === 1) {
    return mapMatrix(requireNumeric(values[0], name, fail), elementwise);
  }
  if ((name === 'zeros' || name === 'ones') && values.length <= 2) {
    const dims = values.map((v) => requireNumeric(v, name, fail).data[0]);
    const rows = dims[0] ?? 1;
    const cols = dims[1] ?? rows;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0)
      fail(`invalid size for ${name}`);
    return matrix(rows, cols, new Float64Array(rows * cols).fill(name === 'ones' ? 1 : 0));
  }
  if ((name === 'size' || name === 'numel' || name === 'length') && values.length >= 1) {
    const v = values[0];
    const [rows, cols] =
      v.kind === 'matrix' || v.kind === 'cell'
        ? [v.rows, v.cols]
        : v.kind === 'string'
          ? [1, v.value.length]
          : [1, 1];
    if (name === 'numel') return scalar(rows * cols);
    if (name === 'length') return scalar(rows === 0 || cols === 0 ? 0 : Math.max(rows, cols));
    if (values.length === 2) {
      const dim = requireNumeric(values[1], 'size', fail).data[0];
      return scalar(dim === 1 ? rows : dim === 2 ? cols : 1);
    }
    return matrix(1, 2, Float64Array.of(rows, cols));
  }
  return undefined;
}
