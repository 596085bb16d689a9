// OpenDSS value syntax: numbers (also in-line RPN such as `(8 1000 /)`), arrays, lower-triangle matrices, bus specs
// `bus.1.2.3`, yes/no flags and length units.
import { InputError } from '../../core/errors.ts';
import { type DssParameter, unwrap } from './dss-lexer.ts';

/** Error naming the file, line and element of a parameter. */
export function dssError(at: DssParameter['at'], element: string, message: string): InputError {
  return InputError.single('opendss', [`${at.file}:${at.line}`, element], message);
}

function evaluateRpn(text: string): number {
  const stack: number[] = [];
  for (const token of text.split(/\s+/)) {
    const op = token;
    if (op === '+' || op === '-' || op === '*' || op === '/') {
      const b = stack.pop();
      const a = stack.pop();
      if (a === undefined || b === undefined) return Number.NaN;
      stack.push(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);
    } else if (op.toLowerCase() === 'sqrt') {
      const a = stack.pop();
      stack.push(a === undefined ? Number.NaN : Math.sqrt(a));
    } else stack.push(token.trim() === '' ? Number.NaN : Number(token));
  }
  return stack.length === 1 ? stack[0] : Number.NaN;
}

export function dssNumber(p: DssParameter, element: string): number {
  const inner = unwrap(p.value);
  const value = /\s/.test(inner) ? evaluateRpn(inner) : Number(inner);
  if (!Number.isFinite(value))
    throw dssError(p.at, element, `${p.key ?? 'value'}: expected a number, got '${p.value}'`);
  return value;
}

export function dssArray(p: DssParameter, element: string): number[] {
  const inner = unwrap(p.value);
  const values =
    inner === ''
      ? []
      : inner
          .split(/[\s,|]+/)
          .filter((s) => s !== '')
          .map(Number);
  if (values.some((v) => !Number.isFinite(v)))
    throw dssError(p.at, element, `${p.key}: expected numbers, got '${p.value}'`);
  return values;
}

/** Words of an array value (`[SourceBus 1]`, `[delta wye]`). */
export function dssWords(p: DssParameter): string[] {
  return unwrap(p.value)
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

/** A symmetric n × n matrix from `(a | b c | d e f)` (lower triangle) or full rows; values row-major. */
export function dssMatrix(p: DssParameter, element: string): { n: number; values: number[] } {
  const rows = unwrap(p.value)
    .split('|')
    .map((row) =>
      row
        .trim()
        .split(/[\s,]+/)
        .filter((s) => s !== '')
        .map(Number),
    );
  const n = rows.length;
  const values = new Array<number>(n * n).fill(0);
  const lower = rows.every((row, i) => row.length === i + 1);
  const full = rows.every((row) => row.length === n);
  if ((!lower && !full) || rows.some((row) => row.some((v) => !Number.isFinite(v))))
    throw dssError(p.at, element, `${p.key}: expected a lower-triangle or full matrix, got '${p.value}'`);
  rows.forEach((row, i) => {
    row.forEach((v, j) => {
      values[i * n + j] = v;
      if (lower) values[j * n + i] = v;
    });
  });
  return { n, values };
}

export function dssFlag(p: DssParameter, element: string): boolean {
  const v = unwrap(p.value).toLowerCase();
  if (/^(y|yes|t|true|1)/.test(v)) return true;
  if (/^(n|no|f|false|0)/.test(v)) return false;
  throw dssError(p.at, element, `${p.key}: expected yes or no, got '${p.value}'`);
}

export function dssText(p: DssParameter): string {
  return unwrap(p.value).toLowerCase();
}

/** `670.1.2.3` → bus `670`, nodes [1, 2, 3]; `sourcebus` → no explicit nodes. */
export function dssBus(value: string, p: DssParameter, element: string): { bus: string; nodes?: number[] } {
  const parts = unwrap(value).toLowerCase().split('.');
  const nodes = parts.slice(1).map(Number);
  if (parts[0] === '' || nodes.some((n) => !Number.isInteger(n) || n < 0))
    throw dssError(p.at, element, `${p.key}: bad bus '${value}'`);
  return nodes.length > 0 ? { bus: parts[0], nodes } : { bus: parts[0] };
}

const METRES_PER_UNIT: Record<string, number> = {
  none: 1,
  mi: 1609.344,
  kft: 304.8,
  km: 1000,
  m: 1,
  meter: 1,
  ft: 0.3048,
  in: 0.0254,
  cm: 0.01,
  mm: 0.001,
};

/** Metres in one length unit; `none` counts as 1 (lengths then match their line code as given). */
export function metresPerUnit(p: DssParameter, element: string): number {
  const unit = dssText(p);
  const metres = METRES_PER_UNIT[unit];
  if (metres === undefined)
    throw dssError(
      p.at,
      element,
      `units: '${p.value}' is not one of ${Object.keys(METRES_PER_UNIT).join(', ')}`,
    );
  return metres;
}
