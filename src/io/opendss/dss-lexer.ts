// OpenDSS script text → commands: comments (`!`, `//`, `/* */`), `~`/`more` continuation, key=value tokens with
// quoted and bracketed values ("", '', [], (), {}).

/** Where a command or value came from, for error messages. */
export interface DssLocation {
  readonly file: string;
  readonly line: number;
}

/** One parameter: `key=value`, or a positional value (key undefined). Values keep their brackets. */
export interface DssParameter {
  readonly key?: string;
  readonly value: string;
  readonly at: DssLocation;
}

export interface DssCommand {
  /** First word, lower-case (`new`, `edit`, `set`, …). */
  readonly verb: string;
  readonly parameters: DssParameter[];
  readonly at: DssLocation;
}

const OPENERS: Record<string, string> = { '"': '"', "'": "'", '[': ']', '(': ')', '{': '}' };

/** Text of a line without its `!` or `//` comment (quotes and brackets protect the markers). */
function stripComment(line: string): string {
  let depth: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    const closing = depth[depth.length - 1];
    if (closing !== undefined) {
      if (ch === closing) depth = depth.slice(0, -1);
      else if (closing !== '"' && closing !== "'" && OPENERS[ch] !== undefined)
        depth = [...depth, OPENERS[ch]];
      continue;
    }
    if (ch === '!' || (ch === '/' && line[i + 1] === '/')) return line.slice(0, i);
    if (OPENERS[ch] !== undefined) depth = [OPENERS[ch]];
  }
  return line;
}

/** Split command text into words, `=` signs and whole bracketed/quoted groups; commas and blanks separate. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === ',' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '=') {
      tokens.push('=');
      i++;
      continue;
    }
    let j = i;
    const stack: string[] = [];
    while (j < text.length) {
      const c = text[j];
      const top = stack[stack.length - 1];
      if (top !== undefined) {
        if (c === top) stack.pop();
        else if (top !== '"' && top !== "'" && OPENERS[c] !== undefined) stack.push(OPENERS[c]);
        j++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === ',' || c === '=' || c === '\r') break;
      if (OPENERS[c] !== undefined) stack.push(OPENERS[c]);
      j++;
    }
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

function toParameters(tokens: string[], at: DssLocation): DssParameter[] {
  const out: DssParameter[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i + 1] === '=') {
      out.push({ key: tokens[i].toLowerCase(), value: tokens[i + 2] ?? '', at });
      i += 2;
    } else if (tokens[i] !== '=') out.push({ value: tokens[i], at });
  }
  return out;
}

/** Parse a script into commands; a continuation line (`~ …` or `more …`) adds parameters to the previous command. */
export function lexDss(text: string, file: string): DssCommand[] {
  const commands: { verb: string; parameters: DssParameter[]; at: DssLocation }[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, k) => {
    const at = { file, line: k + 1 };
    let line = raw;
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      inBlock = false;
      line = line.slice(end + 2);
    }
    const trimmedStart = line.trimStart();
    if (trimmedStart.startsWith('/*')) {
      if (!trimmedStart.includes('*/')) inBlock = true;
      return;
    }
    const content = stripComment(line).trim();
    if (content === '') return;
    const continuation = /^(~|more\b|m\b)/i.exec(content);
    if (continuation) {
      const previous = commands[commands.length - 1];
      const rest = content.slice(continuation[0].length);
      if (previous) previous.parameters.push(...toParameters(tokenize(rest), at));
      return;
    }
    const tokens = tokenize(content);
    const verb = tokens[0].toLowerCase();
    commands.push({ verb, parameters: toParameters(tokens.slice(1), at), at });
  });
  return commands;
}

/** Value without one pair of enclosing quotes or brackets. */
export function unwrap(value: string): string {
  const first = value[0];
  const closing = OPENERS[first];
  return closing !== undefined && value.endsWith(closing) ? value.slice(1, -1).trim() : value.trim();
}
