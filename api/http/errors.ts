import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode = 'RATE_LIMITED' | 'NOT_FOUND' | 'VALIDATION' | 'CONFLICT' | 'POLICY' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_ENCODING' | 'UNAVAILABLE' | 'INTERNAL';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  POLICY: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_ENCODING: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An expected failure with a message a person can act on. */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** What is wrong with one field of a request, for a client to say in its own language. */
export type FieldProblem = { field: string; problem: 'invalid_time' | 'invalid_zone' | 'invalid' };

/**
 * The schema's issues as stable problems per field. A date-time that is not
 * ISO 8601 with its zone is `invalid_time`; a refinement names its own
 * problem in `params.problem` (e.g. `invalid_zone`); anything else `invalid`.
 */
export function fieldProblems(issues: readonly { code: string; path: readonly PropertyKey[]; format?: string; params?: Record<string, unknown> }[]): FieldProblem[] {
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.') || 'request',
    problem: issue.code === 'invalid_format' && issue.format === 'datetime' ? 'invalid_time' : issue.params?.problem === 'invalid_zone' ? 'invalid_zone' : 'invalid',
  }));
}

/** The one place errors become HTTP: `{ error: { code, message, requestId, details? } }`. */
export function errorResponse(c: Context, error: unknown) {
  const requestId = c.get('requestId' as never) as string | undefined;
  if (error instanceof DomainError) {
    return c.json({ error: { code: error.code, message: error.message, requestId, ...(error.details ? { details: error.details } : {}) } }, STATUS[error.code]);
  }
  if (error instanceof HTTPException) {
    const code: ErrorCode = error.status === 401 ? 'UNAUTHORIZED' : error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 404 ? 'NOT_FOUND' : 'VALIDATION';
    return c.json({ error: { code, message: error.message || 'request rejected', requestId } }, error.status);
  }
  return c.json({ error: { code: 'INTERNAL', message: 'internal error; the request id is in the server log', requestId } }, 500);
}
