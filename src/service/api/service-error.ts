// HTTP-facing errors as data: status, machine-readable code, message and optional field issues.
import type { InputIssue } from '../../core/errors.ts';

export class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The JSON body of every error answer: `{ error: { code, message, issues? } }`. */
export function errorBody(code: string, message: string, issues?: readonly InputIssue[]) {
  return { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}

export const notFound = (what: string): ServiceError =>
  new ServiceError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string): ServiceError => new ServiceError(403, 'forbidden', message);
export const conflict = (code: string, message: string, issues: readonly InputIssue[] = []): ServiceError =>
  new ServiceError(409, code, message, issues);
export const badField = (path: readonly (string | number)[], code: string, message: string): ServiceError =>
  new ServiceError(400, 'invalid_input', `${path.join('.')}: ${message}`, [{ code, path, message }]);
