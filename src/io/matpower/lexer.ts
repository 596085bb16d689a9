// Tokeniser for the MATLAB subset used by MATPOWER case files: numbers, strings, names, operators, line structure.
import { InputError } from '../../core/errors.ts';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token (for strings: the decoded value). */
  readonly text: string;
  /** Numeric value of a number token. */
  readonly value: number;
  /** 1-based line where the token starts. */
  readonly line: number;
  /** True when whitespace (or a continuation) separates this token from the previous one: needed inside `[...]`. */
  readonly spaceBefore: boolean;
}

const OPERATORS = [
  '...',
  '.*',
  './',
  '.^',
  ".'",
  '==',
  '~=',
  '<=',
  '>=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '\\',
  '^',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '=',
  ',',
  ';',
  ':',
  '.',
  '~',
  '!',
  '<',
  '>',
  '&',
  '|',
  '@',
];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || isDigit(c);

/** Split MATLAB source into tokens. `%` comments, `%{ … %}` blocks and `...` continuations are dropped here. */
export function tokenize(source: string, fileName: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let spaceBefore = true;
  const n = source.length;
  const fail = (message: string): never => {
    throw InputError.single('matpower_syntax', [`${fileName}:line ${line}`], message);
  };
  const push = (kind: TokenKind, text: string, value = Number.NaN) => {
    tokens.push({ kind, text, value, line, spaceBefore });
    spaceBefore = false;
  };
  const atLineStart = (pos: number) => {
    for (let k = pos - 1; k >= 0 && source[k] !== '\n'; k--)
      if (source[k] !== ' ' && source[k] !== '\t') return false;
    return true;
  };
  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      spaceBefore = true;
      continue;
    }
    if (c === '\n') {
      push('newline', '\n');
      line++;
      i++;
      spaceBefore = true;
      continue;
    }
    if (c === '%' || c === '#') {
      // Block comment: a line holding only `%{` up to a line holding only `%}`.
      if (source.startsWith('%{', i) && atLineStart(i) && /^%\{[ \t\r]*(\n|$)/.test(source.slice(i, i + 8))) {
        const end = source.indexOf('\n%}', i);
        const stop = end < 0 ? n : end + 3;
        for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
        i = stop;
        continue;
      }
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('...', i)) {
      // Continuation: the rest of the line is a comment and the newline is not a separator.
      while (i < n && source[i] !== '\n') i++;
      if (i < n) {
        i++;
        line++;
      }
      spaceBefore = true;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1] ?? ''))) {
      const start = i;
      while (i < n && isDigit(source[i])) i++;
      // A dot belongs to the number unless it starts an element-wise operator (`1.*x`, `2./y`, `3.^z`, `4.'`).
      if (source[i] === '.' && !['*', '/', '^', "'"].includes(source[i + 1] ?? '')) {
        i++;
        while (i < n && isDigit(source[i])) i++;
      }
      if (
        (source[i] === 'e' || source[i] === 'E' || source[i] === 'd' || source[i] === 'D') &&
        /[+-]?\d/.test(source.slice(i + 1, i + 3))
      ) {
        i++;
        if (source[i] === '+' || source[i] === '-') i++;
        while (i < n && isDigit(source[i])) i++;
      }
      const text = source.slice(start, i).replace(/[dD]/, 'e');
      if (isNameStart(source[i] ?? '')) fail(`malformed number "${source.slice(start, i + 1)}"`);
      push('number', text, Number(text));
      continue;
    }
    if (isNameStart(c)) {
      const start = i;
      while (i < n && isNameChar(source[i])) i++;
      push('name', source.slice(start, i));
      continue;
    }
    if (c === "'" || c === '"') {
      const prev = tokens[tokens.length - 1];
      const isTranspose =
        c === "'" &&
        !spaceBefore &&
        prev !== undefined &&
        (prev.kind === 'name' || prev.kind === 'number' || [')', ']', '}', "'", ".'"].includes(prev.text)) &&
        prev.kind !== 'string';
      if (isTranspose) {
        push('op', "'");
        i++;
        continue;
      }
      let value = '';
      i++;
      for (;;) {
        if (i >= n || source[i] === '\n') fail('unterminated string');
        if (source[i] === c) {
          if (source[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i++];
      }
      push('string', value);
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) fail(`unexpected character "${c}"`);
    push('op', op as string);
    i += (op as string).length;
  }
  push('newline', '\n');
  tokens.push({ kind: 'eof', text: '', value: Number.NaN, line, spaceBefore: true });
  return tokens;
}
