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

/** Convert a zod error into an InputError, optionally prefixing every path (e.g. with a file name). */
export function inputErrorFromZod(error: z.ZodError, prefix: readonly (string | number)[] = []): InputError {
  return new InputError(
    error.issues.map((issue) => ({
      code: issue.code,
      path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: issue.message,
    })),
  );
}

/** Parse with a zod schema and throw an InputError naming the field path on failure. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  prefix: readonly (string | number)[] = [],
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw inputErrorFromZod(result.error, prefix);
  return result.data;
}
