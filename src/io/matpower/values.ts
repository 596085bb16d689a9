// Values of the MATPOWER-subset evaluator: real matrices (row-major), strings, cells and structs, and their helpers.

/** A real matrix stored row-major; scalars are 1×1. `rowLines` remembers the source line of each literal row. */
export interface MatrixValue {
  readonly kind: 'matrix';
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly rowLines?: readonly number[];
}
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}
export interface CellValue {
  readonly kind: 'cell';
  readonly rows: number;
  readonly cols: number;
  /** Row-major items. */
  readonly items: readonly Value[];
}
export interface StructValue {
  readonly kind: 'struct';
  readonly fields: ReadonlyMap<string, Value>;
}
export type Value = MatrixValue | StringValue | CellValue | StructValue;

/** Reports an evaluation error at the statement being evaluated (`file.m:line N`); never returns. */
export type FailAtLine = (message: string, code?: string) => never;

export const matrix = (rows: number, cols: number, data?: Float64Array): MatrixValue => ({
  kind: 'matrix',
  rows,
  cols,
  data: data ?? new Float64Array(rows * cols),
});
export const scalar = (value: number): MatrixValue => matrix(1, 1, Float64Array.of(value));

/** The value as a matrix, or a `matpower_unsupported` failure naming `what` needed it. */
export function requireNumeric(value: Value, what: string, fail: FailAtLine): MatrixValue {
  if (value.kind !== 'matrix')
    fail(`${what} needs a numeric value, not a ${value.kind}`, 'matpower_unsupported');
  return value;
}

/** Element k (0-based) in MATLAB's column-major order. */
export function valueAt(m: MatrixValue, k: number): number {
  return m.data[(k % m.rows) * m.cols + Math.floor(k / m.rows)];
}

export function mapMatrix(m: MatrixValue, f: (x: number) => number): MatrixValue {
  return {
    ...matrix(m.rows, m.cols, Float64Array.from(m.data, f)),
    ...(m.rowLines ? { rowLines: m.rowLines } : {}),
  };
}
