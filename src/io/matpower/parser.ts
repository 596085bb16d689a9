// Parser for the MATLAB subset of MATPOWER case files: assignments, matrix and cell literals, arithmetic, indexing.
import { InputError } from '../../core/errors.ts';
import { type Token, tokenize } from './lexer.ts';

export type Expr =
  | { readonly type: 'number'; readonly value: number; readonly line: number }
  | { readonly type: 'string'; readonly value: string; readonly line: number }
  | { readonly type: 'name'; readonly name: string; readonly line: number }
  /** A bare `:` inside an index: every position along that dimension. */
  | { readonly type: 'colon'; readonly line: number }
  /** `end` inside an index: the size along that dimension. */
  | { readonly type: 'end'; readonly line: number }
  | { readonly type: 'unary'; readonly op: string; readonly operand: Expr; readonly line: number }
  | {
      readonly type: 'binary';
      readonly op: string;
      readonly left: Expr;
      readonly right: Expr;
      readonly line: number;
    }
  | { readonly type: 'transpose'; readonly operand: Expr; readonly line: number }
  | {
      readonly type: 'range';
      readonly start: Expr;
      readonly step: Expr | undefined;
      readonly stop: Expr;
      readonly line: number;
    }
  | { readonly type: 'index'; readonly target: Expr; readonly args: readonly Expr[]; readonly line: number }
  | { readonly type: 'field'; readonly target: Expr; readonly name: string; readonly line: number }
  | {
      readonly type: 'matrix';
      readonly rows: readonly (readonly Expr[])[];
      readonly rowLines: readonly number[];
      readonly line: number;
    }
  | { readonly type: 'cell'; readonly rows: readonly (readonly Expr[])[]; readonly line: number };

export type Statement =
  | {
      readonly type: 'function';
      readonly outputs: readonly string[];
      readonly name: string;
      readonly line: number;
    }
  | { readonly type: 'assign'; readonly target: Expr; readonly value: Expr; readonly line: number }
  /** `[A, B, ~] = f` — several outputs of one call; `undefined` marks an ignored output (`~`). */
  | {
      readonly type: 'multi-assign';
      readonly targets: readonly (string | undefined)[];
      readonly value: Expr;
      readonly line: number;
    }
  | { readonly type: 'return'; readonly line: number };

const UNSUPPORTED_KEYWORDS = new Set([
  'if',
  'elseif',
  'else',
  'for',
  'while',
  'switch',
  'case',
  'otherwise',
  'try',
  'catch',
  'global',
  'persistent',
  'break',
  'continue',
  'parfor',
  'classdef',
]);

/** Parse MATLAB source into statements; unsupported syntax raises an InputError naming `file:line N`. */
export function parseMatlab(source: string, fileName: string): Statement[] {
  return new Parser(tokenize(source, fileName), fileName).parseProgram();
}

class Parser {
  private pos = 0;
  /** Stack of contexts: inside `[...]`/`{...}` whitespace separates elements; inside `(...)` it does not. */
  private readonly matrixContext: boolean[] = [false];
  private indexDepth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fileName: string,
  ) {}

  private get token(): Token {
    return this.tokens[this.pos];
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private fail(message: string, token: Token = this.token, code = 'matpower_syntax'): never {
    throw InputError.single(code, [`${this.fileName}:line ${token.line}`], message);
  }

  /** Kind test through a method so TypeScript does not narrow `this.token` across `pos` moves. */
  private at(kind: Token['kind']): boolean {
    return this.token.kind === kind;
  }

  private isOp(text: string, token: Token = this.token): boolean {
    return token.kind === 'op' && token.text === text;
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected "${text}" but found ${describe(this.token)}`);
    return this.tokens[this.pos++];
  }

  private get inMatrix(): boolean {
    return this.matrixContext[this.matrixContext.length - 1];
  }

  parseProgram(): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      while (this.at('newline') || this.isOp(';') || this.isOp(',')) this.pos++;
      if (this.at('eof')) return statements;
      const statement = this.parseStatement(statements.length === 0);
      if (statement === undefined) return statements;
      statements.push(statement);
      if (!(this.at('newline') || this.isOp(';') || this.isOp(',') || this.at('eof'))) {
        this.fail(`unexpected ${describe(this.token)} after the end of a statement`);
      }
    }
  }

  /** One statement, or undefined at an `end` that closes the function body. */
  private parseStatement(isFirst: boolean): Statement | undefined {
    const token = this.token;
    if (token.kind === 'name' && token.text === 'function') {
      if (!isFirst)
        this.fail(
          'only one function per case file is supported (a subfunction starts here)',
          token,
          'matpower_unsupported',
        );
      return this.parseFunctionHeader();
    }
    if (token.kind === 'name' && (token.text === 'return' || token.text === 'end')) {
      this.pos++;
      if (token.text === 'return') return { type: 'return', line: token.line };
      while (this.at('newline') || this.isOp(';') || this.isOp(',')) this.pos++;
      if (this.token.kind !== 'eof')
        this.fail('unexpected code after the "end" of the function', this.token, 'matpower_unsupported');
      return undefined;
    }
    if (token.kind === 'name' && UNSUPPORTED_KEYWORDS.has(token.text)) {
      this.fail(
        `unsupported statement "${token.text}": only assignments are evaluated`,
        token,
        'matpower_unsupported',
      );
    }
    if (this.isOp('[') && this.looksLikeMultiAssign()) return this.parseMultiAssign();
    if (token.kind !== 'name') {
      this.fail(
        `unsupported statement starting with ${describe(token)}: only assignments are evaluated`,
        token,
        'matpower_unsupported',
      );
    }
    const target = this.parseLValue();
    if (!this.isOp('=')) {
      this.fail(
        `unsupported statement: expected an assignment "${token.text} = ..." but found ${describe(this.token)}`,
        token,
        'matpower_unsupported',
      );
    }
    this.pos++;
    const value = this.parseExpr();
    return { type: 'assign', target, value, line: token.line };
  }

  private parseFunctionHeader(): Statement {
    const line = this.token.line;
    this.pos++;
    let outputs: string[] = [];
    if (this.isOp('[')) {
      this.pos++;
      while (!this.isOp(']')) {
        if (this.token.kind !== 'name')
          this.fail(`expected an output name in the function header, found ${describe(this.token)}`);
        outputs.push(this.token.text);
        this.pos++;
        if (this.isOp(',')) this.pos++;
      }
      this.pos++;
      this.expectOp('=');
    } else if (this.at('name') && this.isOp('=', this.peek())) {
      outputs = [this.token.text];
      this.pos += 2;
    }
    if (this.token.kind !== 'name') this.fail(`expected the function name, found ${describe(this.token)}`);
    const name = this.token.text;
    this.pos++;
    if (this.isOp('(')) {
      while (!this.isOp(')')) {
        if (this.at('eof') || this.at('newline')) this.fail('unterminated function argument list');
        this.pos++;
      }
      this.pos++;
    }
    return { type: 'function', outputs, name, line };
  }

  private looksLikeMultiAssign(): boolean {
    let depth = 0;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k];
      if (t.kind === 'eof') return false;
      if (t.kind === 'newline' && depth === 0) return false;
      if (t.kind !== 'op') continue;
      if (t.text === '[' || t.text === '(' || t.text === '{') depth++;
      else if (t.text === ']' || t.text === ')' || t.text === '}') {
        depth--;
        if (depth === 0) return this.isOp('=', this.tokens[k + 1]);
      }
    }
    return false;
  }

  private parseMultiAssign(): Statement {
    const line = this.token.line;
    this.expectOp('[');
    const targets: (string | undefined)[] = [];
    while (!this.isOp(']')) {
      if (this.at('newline')) {
        this.pos++;
        continue;
      }
      if (this.isOp('~')) targets.push(undefined);
      else if (this.at('name')) {
        if (this.isOp('.', this.peek()) || this.isOp('(', this.peek())) {
          this.fail(
            'only plain variable names may receive multiple outputs',
            this.token,
            'matpower_unsupported',
          );
        }
        targets.push(this.token.text);
      } else this.fail(`expected a variable name in the output list, found ${describe(this.token)}`);
      this.pos++;
      if (this.isOp(',')) this.pos++;
    }
    this.pos++;
    this.expectOp('=');
    const value = this.parseExpr();
    return { type: 'multi-assign', targets, value, line };
  }

  /** name, then any chain of `.field` and `(index)`. */
  private parseLValue(): Expr {
    const first = this.token;
    this.pos++;
    let target: Expr = { type: 'name', name: first.text, line: first.line };
    for (;;) {
      if (this.isOp('.') && this.peek().kind === 'name') {
        target = { type: 'field', target, name: this.peek().text, line: this.token.line };
        this.pos += 2;
      } else if (this.isOp('(')) {
        target = { type: 'index', target, args: this.parseArgs(), line: this.token.line };
      } else if (this.isOp('{')) {
        this.fail('cell-array indexing is not supported', this.token, 'matpower_unsupported');
      } else return target;
    }
  }

  parseExpr(): Expr {
    const left = this.parseComparison();
    if (this.isOp('||') || this.isOp('&&') || this.isOp('|') || this.isOp('&')) this.unsupportedOperator();
    return left;
  }

  private unsupportedOperator(): never {
    return this.fail(`unsupported operator "${this.token.text}"`, this.token, 'matpower_unsupported');
  }

  private parseComparison(): Expr {
    const left = this.parseRange();
    if (['==', '~=', '<', '>', '<=', '>='].some((op) => this.isOp(op))) this.unsupportedOperator();
    return left;
  }

  private parseRange(): Expr {
    const start = this.parseAdditive();
    if (!this.isOp(':')) return start;
    const line = this.token.line;
    this.pos++;
    const second = this.parseAdditive();
    if (!this.isOp(':')) return { type: 'range', start, step: undefined, stop: second, line };
    this.pos++;
    const stop = this.parseAdditive();
    return { type: 'range', start, step: second, stop, line };
  }

  /** Inside `[...]`, `a -b` is two elements while `a - b` and `a-b` are one (MATLAB's rule). */
  private startsNewElement(): boolean {
    return this.inMatrix && this.token.spaceBefore && !this.peek().spaceBefore;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while ((this.isOp('+') || this.isOp('-')) && !this.startsNewElement()) {
      const op = this.tokens[this.pos++];
      left = { type: 'binary', op: op.text, left, right: this.parseMultiplicative(), line: op.line };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (;;) {
      if (this.isOp('\\')) this.unsupportedOperator();
      if (!(this.isOp('*') || this.isOp('/') || this.isOp('.*') || this.isOp('./'))) return left;
      const op = this.tokens[this.pos++];
      left = { type: 'binary', op: op.text, left, right: this.parseUnary(), line: op.line };
    }
  }

  private parseUnary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.tokens[this.pos++];
      return { type: 'unary', op: op.text, operand: this.parseUnary(), line: op.line };
    }
    if (this.isOp('~') || this.isOp('!')) this.unsupportedOperator();
    return this.parsePower();
  }

  /** `^` and `.^` are left-associative in MATLAB and bind tighter than unary minus, except in the exponent. */
  private parsePower(): Expr {
    let left = this.parsePostfix();
    while (this.isOp('^') || this.isOp('.^')) {
      const op = this.tokens[this.pos++];
      left = { type: 'binary', op: op.text, left, right: this.parsePowerOperand(), line: op.line };
    }
    return left;
  }

  private parsePowerOperand(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.tokens[this.pos++];
      return { type: 'unary', op: op.text, operand: this.parsePowerOperand(), line: op.line };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let expr = this.parsePrimary();
    for (;;) {
      const t = this.token;
      if (this.isOp('(') && !(this.inMatrix && t.spaceBefore)) {
        expr = { type: 'index', target: expr, args: this.parseArgs(), line: t.line };
      } else if (this.isOp('.') && this.peek().kind === 'name' && !t.spaceBefore) {
        expr = { type: 'field', target: expr, name: this.peek().text, line: t.line };
        this.pos += 2;
      } else if ((this.isOp("'") || this.isOp(".'")) && !t.spaceBefore) {
        this.pos++;
        expr = { type: 'transpose', operand: expr, line: t.line };
      } else if (this.isOp('{') && !(this.inMatrix && t.spaceBefore)) {
        this.fail('cell-array indexing is not supported', t, 'matpower_unsupported');
      } else return expr;
    }
  }

  private parseArgs(): Expr[] {
    this.expectOp('(');
    this.matrixContext.push(false);
    this.indexDepth++;
    const args: Expr[] = [];
    while (this.at('newline')) this.fail('line break inside parentheses (use "..." to continue a line)');
    if (this.isOp(')')) this.pos++;
    else {
      for (;;) {
        if (this.isOp(':') && (this.isOp(',', this.peek()) || this.isOp(')', this.peek()))) {
          args.push({ type: 'colon', line: this.token.line });
          this.pos++;
        } else args.push(this.parseExpr());
        if (this.isOp(',')) {
          this.pos++;
          continue;
        }
        this.expectOp(')');
        break;
      }
    }
    this.indexDepth--;
    this.matrixContext.pop();
    return args;
  }

  private parsePrimary(): Expr {
    const t = this.token;
    if (t.kind === 'number') {
      this.pos++;
      return { type: 'number', value: t.value, line: t.line };
    }
    if (t.kind === 'string') {
      this.pos++;
      return { type: 'string', value: t.text, line: t.line };
    }
    if (t.kind === 'name') {
      if (t.text === 'end') {
        if (this.indexDepth === 0) this.fail('"end" outside an index', t, 'matpower_unsupported');
        this.pos++;
        return { type: 'end', line: t.line };
      }
      if (UNSUPPORTED_KEYWORDS.has(t.text) || t.text === 'function') {
        this.fail(`unsupported keyword "${t.text}" in an expression`, t, 'matpower_unsupported');
      }
      this.pos++;
      return { type: 'name', name: t.text, line: t.line };
    }
    if (this.isOp('(')) {
      this.pos++;
      this.matrixContext.push(false);
      const inner = this.parseExpr();
      this.matrixContext.pop();
      this.expectOp(')');
      return inner;
    }
    if (this.isOp('[') || this.isOp('{')) return this.parseBracketed(t.text === '[' ? ']' : '}');
    if (this.isOp('@')) this.fail('function handles are not supported', t, 'matpower_unsupported');
    return this.fail(`unexpected ${describe(t)} in an expression`);
  }

  /** `[...]` matrix or `{...}` cell literal; rows end at `;` or a line break, elements at `,` or whitespace. */
  private parseBracketed(close: ']' | '}'): Expr {
    const open = this.tokens[this.pos++];
    this.matrixContext.push(true);
    const rows: Expr[][] = [];
    const rowLines: number[] = [];
    let row: Expr[] = [];
    const endRow = () => {
      if (row.length > 0) rows.push(row);
      row = [];
    };
    for (;;) {
      const t = this.token;
      if (t.kind === 'eof') this.fail(`unterminated "${open.text}" opened on line ${open.line}`, t);
      if (this.isOp(close)) {
        this.pos++;
        break;
      }
      if (t.kind === 'newline' || this.isOp(';')) {
        endRow();
        this.pos++;
        continue;
      }
      if (this.isOp(',')) {
        if (row.length === 0) this.fail(`unexpected "," at the start of a row`, t);
        this.pos++;
        continue;
      }
      if (row.length === 0) rowLines.push(t.line);
      row.push(this.parseExpr());
      const next = this.token;
      const separated =
        next.kind === 'newline' || this.isOp(',') || this.isOp(';') || this.isOp(close) || next.spaceBefore;
      if (!separated) this.fail(`unexpected ${describe(next)} inside "${open.text}...${close}"`, next);
    }
    endRow();
    this.matrixContext.pop();
    return close === ']'
      ? { type: 'matrix', rows, rowLines, line: open.line }
      : { type: 'cell', rows, line: open.line };
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the file';
  if (token.kind === 'newline') return 'the end of the line';
  if (token.kind === 'string') return `the string '${token.text}'`;
  return `"${token.text}"`;
}
