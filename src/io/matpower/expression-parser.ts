// Expression grammar of the MATLAB subset in MATPOWER case files, over the lexer's tokens: operators with MATLAB's
// precedence, ranges, indexing, fields, transposes, and matrix / cell literals with MATLAB's whitespace rules.
import { InputError } from '../../core/errors.ts';
import type { Token } from './lexer.ts';
import type { Expr } from './syntax-tree.ts';

/** Keywords of MATLAB control flow and scoping: the subset evaluates assignments only. */
export const UNSUPPORTED_KEYWORDS = new Set([
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

/** A cursor over the tokens and the expression grammar; parser.ts adds the statement level. */
export class ExpressionParser {
  protected pos = 0;
  /** Stack of contexts: inside `[...]`/`{...}` whitespace separates elements; inside `(...)` it does not. */
  protected readonly matrixContext: boolean[] = [false];
  protected indexDepth = 0;

  constructor(
    protected readonly tokens: Token[],
    private readonly fileName: string,
  ) {}

  protected get token(): Token {
    return this.tokens[this.pos];
  }

  protected peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  protected fail(message: string, token: Token = this.token, code = 'matpower_syntax'): never {
    throw InputError.single(code, [`${this.fileName}:line ${token.line}`], message);
  }

  /** Kind test through a method so TypeScript does not narrow `this.token` across `pos` moves. */
  protected at(kind: Token['kind']): boolean {
    return this.token.kind === kind;
  }

  protected isOp(text: string, token: Token = this.token): boolean {
    return token.kind === 'op' && token.text === text;
  }

  protected expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected "${text}" but found ${describe(this.token)}`);
    return this.tokens[this.pos++];
  }

  protected get inMatrix(): boolean {
    return this.matrixContext[this.matrixContext.length - 1];
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

  protected parseArgs(): Expr[] {
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

export function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the file';
  if (token.kind === 'newline') return 'the end of the line';
  if (token.kind === 'string') return `the string '${token.text}'`;
  return `"${token.text}"`;
}
