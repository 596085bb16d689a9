// Errors as data: one error class carrying a list of issues, each with a code, a path and a message (zod style).
import type { z } from 'zod';

/** One problem found in an input: a machine-readable code, the path of the offending field, and a message. */
export interface InputIssue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Thrown when public input is invalid. The CLI maps it to exit code 2 and prints the issues without a stack. */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(formatIssues(issues));
    this.name = 'InputError';
    this.issues = issues;
  }

  /** One issue, for the common case of a single bad field. */
  static single(code: string, path: readonly (string | number)[], message: string): InputError {
    return new InputError([{ code, path, message }]);
  }
}

/** Render a field path like `branches[3].rateAMva`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  }
  return text === '' ? '(root)' : text;
}

export function formatIssues(issues: readonly InputIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('\n');
}

/** Convert a zod error into an InputError, optionally prefixing every path (e.g. with a file name). With the
 * validated `input`, each message also says what value was received. */
export function inputErrorFromZod(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
  input?: unknown,
): InputError {
  return new InputError(
    error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      return { code: issue.code, path: [...prefix, ...path], message: describeZodIssue(issue, path, input) };
    }),
  );
}

/** The rule a zod issue states, in words: unions of literals become "must be one of …" instead of "Invalid input". */
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  path: readonly (string | number)[],
  input?: unknown,
): string {
  let rule = issue.message;
  if (issue.code === 'invalid_union') {
    const allowed = issue.errors
      .flat()
      .flatMap((branch) => (branch.code === 'invalid_value' ? branch.values : []));
    if (allowed.length > 0) rule = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (input === undefined) return rule;
  const received = valueAt(input, path);
  return received === undefined ? rule : `${rule} (got ${truncatedJson(received)})`;
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function truncatedJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Parse with a zod schema and throw an InputError naming the field path on failure. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: readonly (string | number)[] = [],
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw inputErrorFromZod(result.error, prefix, value);
  return result.data;
}
