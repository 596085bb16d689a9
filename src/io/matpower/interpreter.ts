// Evaluator for the MATLAB subset of MATPOWER case files: runs the statements over a workspace of values (values.ts),
// with indexing, indexed assignment that grows matrices, literals, ranges, built-ins (builtins.ts) and arithmetic
// (matrix-arithmetic.ts).
import { InputError } from '../../core/errors.ts';
import { CONSTANTS, callBuiltin } from './builtins.ts';
import { MATPOWER_INDEX_FUNCTIONS } from './matpower-constants.ts';
import { applyBinaryOperator } from './matrix-arithmetic.ts';
import type { Expr, Statement } from './syntax-tree.ts';
import {
  type CellValue,
  type FailAtLine,
  type MatrixValue,
  mapMatrix,
  matrix,
  requireNumeric,
  scalar,
  type Value,
  valueAt,
} from './values.ts';

export type { MatrixValue, Value } from './values.ts';

export interface EvaluationResult {
  /** Name and declared outputs of the function header, when the file has one. */
  readonly functionName: string | undefined;
  readonly outputs: readonly string[];
  readonly variables: ReadonlyMap<string, Value>;
}

/** Run the statements and return the workspace. Errors name `file:line N` and what could not be evaluated. */
export function evaluateMatlab(statements: readonly Statement[], fileName: string): EvaluationResult {
  return new Interpreter(fileName).run(statements);
}

class Interpreter {
  private readonly variables = new Map<string, Value>();
  /** Sizes that `end` stands for, innermost index last. */
  private readonly endStack: number[] = [];

  constructor(private readonly fileName: string) {}

  private fail(line: number, message: string, code = 'matpower_eval'): never {
    throw InputError.single(code, [`${this.fileName}:line ${line}`], message);
  }

  private failAt(line: number): FailAtLine {
    return (message, code) => this.fail(line, message, code);
  }

  run(statements: readonly Statement[]): EvaluationResult {
    let functionName: string | undefined;
    let outputs: readonly string[] = [];
    for (const statement of statements) {
      switch (statement.type) {
        case 'function':
          functionName = statement.name;
          outputs = statement.outputs;
          break;
        case 'return':
          return { functionName, outputs, variables: this.variables };
        case 'assign':
          this.assign(statement.target, this.evaluate(statement.value), statement.line);
          break;
        case 'multi-assign':
          this.multiAssign(statement.targets, statement.value, statement.line);
          break;
      }
    }
    return { functionName, outputs, variables: this.variables };
  }

  private multiAssign(targets: readonly (string | undefined)[], value: Expr, line: number): void {
    const callee =
      value.type === 'name'
        ? value.name
        : value.type === 'index' && value.target.type === 'name' && value.args.length === 0
          ? value.target.name
          : undefined;
    const fn =
      callee !== undefined && !this.variables.has(callee) ? MATPOWER_INDEX_FUNCTIONS[callee] : undefined;
    if (fn === undefined) {
      this.fail(
        line,
        `unsupported multiple assignment: only the MATPOWER index functions (${Object.keys(MATPOWER_INDEX_FUNCTIONS).join(', ')}) may return several outputs`,
        'matpower_unsupported',
      );
    }
    if (targets.length > fn.values.length) {
      this.fail(line, `${callee} returns ${fn.values.length} outputs but ${targets.length} are requested`);
    }
    targets.forEach((name, k) => {
      if (name !== undefined) this.variables.set(name, scalar(fn.values[k]));
    });
  }

  // ---- assignment -------------------------------------------------------------------------------------------

  private assign(target: Expr, value: Value, line: number): void {
    const chain: Expr[] = [];
    let base: Expr = target;
    while (base.type === 'field' || base.type === 'index') {
      chain.unshift(base);
      base = base.target;
    }
    if (base.type !== 'name') this.fail(line, 'invalid assignment target', 'matpower_unsupported');
    this.variables.set(base.name, this.assignInto(this.variables.get(base.name), chain, value, line));
  }

  private assignInto(current: Value | undefined, chain: readonly Expr[], value: Value, line: number): Value {
    if (chain.length === 0) return value;
    const [head, ...rest] = chain;
    if (head.type === 'field') {
      if (current !== undefined && current.kind !== 'struct') {
        this.fail(line, `cannot set field "${head.name}" of a ${current.kind}`);
      }
      const fields = new Map(current?.fields ?? []);
      fields.set(head.name, this.assignInto(fields.get(head.name), rest, value, line));
      return { kind: 'struct', fields };
    }
    if (head.type !== 'index') return this.fail(line, 'invalid assignment target', 'matpower_unsupported');
    if (rest.length > 0)
      this.fail(
        line,
        'indexing followed by more indexing or a field is not supported on the left of "="',
        'matpower_unsupported',
      );
    if (current !== undefined && current.kind !== 'matrix') {
      this.fail(line, `indexed assignment into a ${current.kind} is not supported`, 'matpower_unsupported');
    }
    if (value.kind !== 'matrix')
      this.fail(line, `cannot store a ${value.kind} in a numeric matrix`, 'matpower_unsupported');
    return this.assignIndexed(current ?? matrix(0, 0), head.args, value, line);
  }

  private assignIndexed(
    target: MatrixValue,
    args: readonly Expr[],
    value: MatrixValue,
    line: number,
  ): MatrixValue {
    let rowIdx: number[];
    let colIdx: number[];
    if (args.length === 2) {
      rowIdx = this.resolveIndex(args[0], target.rows, value.rows, line);
      colIdx = this.resolveIndex(args[1], target.cols, value.cols, line);
    } else if (args.length === 1) {
      // Linear indexing: only for vectors (or an empty matrix, which becomes a row vector).
      const isColumn = target.cols === 1 && target.rows > 1;
      if (target.rows > 1 && target.cols > 1) {
        this.fail(line, 'linear-index assignment into a 2-D matrix is not supported', 'matpower_unsupported');
      }
      const idx = this.resolveIndex(args[0], target.rows * target.cols, value.rows * value.cols, line);
      rowIdx = isColumn ? idx : [0];
      colIdx = isColumn ? [0] : idx;
    } else {
      return this.fail(
        line,
        `indexed assignment needs one or two indices, not ${args.length}`,
        'matpower_unsupported',
      );
    }
    const count = rowIdx.length * colIdx.length;
    const valueCount = value.rows * value.cols;
    const bothVectors =
      (rowIdx.length === 1 || colIdx.length === 1) && (value.rows === 1 || value.cols === 1);
    const shapeMatches = value.rows === rowIdx.length && value.cols === colIdx.length;
    if (valueCount !== 1 && !(valueCount === count && (shapeMatches || bothVectors))) {
      this.fail(
        line,
        `dimension mismatch: assigning a ${value.rows}×${value.cols} value to a ${rowIdx.length}×${colIdx.length} selection`,
      );
    }
    const rows = rowIdx.reduce((max, r) => Math.max(max, r + 1), target.rows);
    const cols = colIdx.reduce((max, c) => Math.max(max, c + 1), target.cols);
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < target.rows; r++)
      data.set(target.data.subarray(r * target.cols, (r + 1) * target.cols), r * cols);
    let k = 0;
    // Column-major walk over the selection, matching the column-major order of the value.
    for (let j = 0; j < colIdx.length; j++) {
      for (let i = 0; i < rowIdx.length; i++, k++) {
        data[rowIdx[i] * cols + colIdx[j]] = valueCount === 1 ? value.data[0] : valueAt(value, k);
      }
    }
    const rowLines = rows === target.rows ? target.rowLines : undefined;
    return { kind: 'matrix', rows, cols, data, ...(rowLines ? { rowLines } : {}) };
  }

  /** 0-based positions selected by one index expression; `fallbackSize` sizes a `:` on an empty dimension. */
  private resolveIndex(arg: Expr, size: number, fallbackSize: number, line: number): number[] {
    if (arg.type === 'colon') return Array.from({ length: size === 0 ? fallbackSize : size }, (_, k) => k);
    this.endStack.push(size);
    const value = this.evaluate(arg);
    this.endStack.pop();
    if (value.kind !== 'matrix') this.fail(line, `an index must be numeric, not a ${value.kind}`);
    return Array.from(value.data, (v) => {
      if (!Number.isInteger(v) || v < 1) this.fail(line, `index ${v} is not a positive integer`);
      return v - 1;
    });
  }

  // ---- expressions ------------------------------------------------------------------------------------------

  evaluate(expr: Expr): Value {
    switch (expr.type) {
      case 'number':
        return scalar(expr.value);
      case 'string':
        return { kind: 'string', value: expr.value };
      case 'colon':
        return this.fail(expr.line, '":" is only allowed as an index');
      case 'end': {
        const size = this.endStack[this.endStack.length - 1];
        if (size === undefined) this.fail(expr.line, '"end" outside an index');
        return scalar(size);
      }
      case 'name':
        return this.evaluateName(expr.name, [], expr.line);
      case 'unary': {
        const operand = this.numeric(this.evaluate(expr.operand), expr.line, `unary ${expr.op}`);
        return expr.op === '-' ? mapMatrix(operand, (v) => -v) : operand;
      }
      case 'binary':
        return this.binary(expr.op, this.evaluate(expr.left), this.evaluate(expr.right), expr.line);
      case 'transpose': {
        const m = this.numeric(this.evaluate(expr.operand), expr.line, 'transpose');
        const data = new Float64Array(m.rows * m.cols);
        for (let r = 0; r < m.rows; r++)
          for (let c = 0; c < m.cols; c++) data[c * m.rows + r] = m.data[r * m.cols + c];
        return matrix(m.cols, m.rows, data);
      }
      case 'range':
        return this.range(expr);
      case 'index':
        if (expr.target.type === 'name' && !this.variables.has(expr.target.name)) {
          return this.evaluateName(expr.target.name, expr.args, expr.line);
        }
        return this.index(this.evaluate(expr.target), expr.args, expr.line);
      case 'field': {
        const target = this.evaluate(expr.target);
        if (target.kind !== 'struct')
          this.fail(expr.line, `cannot read field "${expr.name}" of a ${target.kind}`);
        const value = target.fields.get(expr.name);
        if (value === undefined) this.fail(expr.line, `reference to a non-existent field "${expr.name}"`);
        return value;
      }
      case 'matrix':
        return this.matrixLiteral(expr);
      case 'cell':
        return this.cellLiteral(expr);
    }
  }

  /** A variable, a constant, or a call to a supported built-in function. */
  private evaluateName(name: string, args: readonly Expr[], line: number): Value {
    const variable = this.variables.get(name);
    if (variable !== undefined) return args.length === 0 ? variable : this.index(variable, args, line);
    if (name in CONSTANTS && args.length === 0) return scalar(CONSTANTS[name]);
    const indexFunction = MATPOWER_INDEX_FUNCTIONS[name];
    if (indexFunction !== undefined && args.length === 0) return scalar(indexFunction.values[0]);
    const values = args.map((arg) => {
      if (arg.type === 'colon') this.fail(line, `":" is not a valid argument of ${name}`);
      return this.evaluate(arg);
    });
    const result = callBuiltin(name, values, this.failAt(line));
    if (result !== undefined) return result;
    return this.fail(line, `undefined variable or unsupported function "${name}"`, 'matpower_unsupported');
  }

  private index(target: Value, args: readonly Expr[], line: number): Value {
    if (target.kind !== 'matrix')
      this.fail(line, `indexing a ${target.kind} with (...) is not supported`, 'matpower_unsupported');
    if (args.length === 2) {
      const rowIdx = this.resolveIndex(args[0], target.rows, target.rows, line);
      const colIdx = this.resolveIndex(args[1], target.cols, target.cols, line);
      const badRow = rowIdx.find((r) => r >= target.rows);
      const badCol = colIdx.find((c) => c >= target.cols);
      if (badRow !== undefined)
        this.fail(line, `row index ${badRow + 1} exceeds the ${target.rows} rows of the matrix`);
      if (badCol !== undefined)
        this.fail(line, `column index ${badCol + 1} exceeds the ${target.cols} columns of the matrix`);
      const data = new Float64Array(rowIdx.length * colIdx.length);
      rowIdx.forEach((r, i) => {
        colIdx.forEach((c, j) => {
          data[i * colIdx.length + j] = target.data[r * target.cols + c];
        });
      });
      return matrix(rowIdx.length, colIdx.length, data);
    }
    if (args.length === 1) {
      const numel = target.rows * target.cols;
      const idx = this.resolveIndex(args[0], numel, numel, line);
      const bad = idx.find((k) => k >= numel);
      if (bad !== undefined) this.fail(line, `index ${bad + 1} exceeds the ${numel} elements of the matrix`);
      const data = Float64Array.from(idx, (k) => valueAt(target, k));
      if (args[0].type === 'colon') return matrix(idx.length, 1, data);
      return target.rows === 1 ? matrix(1, idx.length, data) : matrix(idx.length, 1, data);
    }
    return this.fail(line, `indexing with ${args.length} indices is not supported`, 'matpower_unsupported');
  }

  private range(expr: Extract<Expr, { type: 'range' }>): MatrixValue {
    const get = (e: Expr) => {
      const v = this.numeric(this.evaluate(e), expr.line, 'a range');
      if (v.data.length === 0) this.fail(expr.line, 'empty range bound');
      return v.data[0];
    };
    const start = get(expr.start);
    const step = expr.step === undefined ? 1 : get(expr.step);
    const stop = get(expr.stop);
    if (step === 0 || !Number.isFinite(start + step + stop)) return matrix(1, 0);
    const count = Math.max(0, Math.floor((stop - start) / step + 1e-10) + 1);
    if (count > 10_000_000) this.fail(expr.line, 'range too long');
    return matrix(
      1,
      count,
      Float64Array.from({ length: count }, (_, k) => start + k * step),
    );
  }

  private matrixLiteral(expr: Extract<Expr, { type: 'matrix' }>): MatrixValue {
    const blocks: MatrixValue[] = [];
    let width: number | undefined;
    let widthLine = expr.line;
    expr.rows.forEach((row, r) => {
      const line = expr.rowLines[r];
      const parts = row
        .map((e) => this.numeric(this.evaluate(e), line, 'a matrix literal'))
        .filter((m) => m.rows * m.cols > 0);
      if (parts.length === 0) return;
      const height = parts[0].rows;
      if (parts.some((p) => p.rows !== height))
        this.fail(line, 'horizontal concatenation of blocks with different heights');
      const cols = parts.reduce((sum, p) => sum + p.cols, 0);
      if (width === undefined) {
        width = cols;
        widthLine = line;
      } else if (cols !== width) {
        this.fail(
          line,
          `row has ${cols} columns but the rows above have ${width} (first row on line ${widthLine})`,
          'matpower_row_length',
        );
      }
      const data = new Float64Array(height * cols);
      let offset = 0;
      for (const p of parts) {
        for (let i = 0; i < height; i++)
          data.set(p.data.subarray(i * p.cols, (i + 1) * p.cols), i * cols + offset);
        offset += p.cols;
      }
      blocks.push({ ...matrix(height, cols, data), rowLines: new Array<number>(height).fill(line) });
    });
    if (blocks.length === 0) return matrix(0, 0);
    const rows = blocks.reduce((sum, b) => sum + b.rows, 0);
    const cols = width ?? 0;
    const data = new Float64Array(rows * cols);
    const rowLines: number[] = [];
    let offset = 0;
    for (const b of blocks) {
      data.set(b.data, offset);
      offset += b.data.length;
      rowLines.push(...(b.rowLines ?? []));
    }
    return { kind: 'matrix', rows, cols, data, rowLines };
  }

  private cellLiteral(expr: Extract<Expr, { type: 'cell' }>): CellValue {
    const rows = expr.rows.map((row) => row.map((e) => this.evaluate(e)));
    const cols = rows[0]?.length ?? 0;
    rows.forEach((row) => {
      if (row.length !== cols)
        this.fail(expr.line, 'cell array rows have different lengths', 'matpower_row_length');
    });
    return { kind: 'cell', rows: rows.length, cols, items: rows.flat() };
  }

  private numeric(value: Value, line: number, what: string): MatrixValue {
    return requireNumeric(value, what, this.failAt(line));
  }

  private binary(op: string, leftValue: Value, rightValue: Value, line: number): MatrixValue {
    const a = this.numeric(leftValue, line, `"${op}"`);
    const b = this.numeric(rightValue, line, `"${op}"`);
    return applyBinaryOperator(op, a, b, this.failAt(line));
  }
}
