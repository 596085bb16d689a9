// Parser for the MATLAB subset of MATPOWER case files, statement level: assignments, `[a, b] = f`, the function
// header, `return` and `end`; expressions are parsed by expression-parser.ts into the tree of syntax-tree.ts.
import { describe, ExpressionParser, UNSUPPORTED_KEYWORDS } from './expression-parser.ts';
import { tokenize } from './lexer.ts';
import type { Expr, Statement } from './syntax-tree.ts';

export type { Expr, Statement } from './syntax-tree.ts';

/** Parse MATLAB source into statements; unsupported syntax raises an InputError naming `file:line N`. */
export function parseMatlab(source: string, fileName: string): Statement[] {
  return new StatementParser(tokenize(source, fileName), fileName).parseProgram();
}

/** Statements: assignments, `[a, b] = f` multiple assignment, the function header, `return` and the closing `end`. */
class StatementParser extends ExpressionParser {
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
}
