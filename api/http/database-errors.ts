/** Error codes of a database that cannot be reached or is shutting down (not of a bad query). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
// node-postgres names a lost or unobtainable connection in its message only (no code)
const NETWORK_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * Whether an error (or any error in its `cause` chain) says the database is
 * unreachable: a refused or dropped connection, or PostgreSQL's classes 08
 * (connection exception) and 57P (shutting down, not yet accepting). Such a
 * failure is the service's state, not the request's fault: 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
    if (e instanceof Error && code === undefined && NETWORK_MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** Whether an error (or its cause) is PostgreSQL's unique violation: two writers raced for the same row; the loser is told to retry (409), not a 500. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** A logged message is cut here: a failed query's text carries its parameters (a batch of results, a token), megabytes at worst. */
const LOGGED_MESSAGE_CHARS = 500;

/**
 * What to log of an unexpected error: its type and a cut message, and for a
 * failed query the database's own error (SQLSTATE, message, table,
 * constraint) rather than the query with its parameters.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const top = error instanceof Error ? { type: error.name, message: error.message.slice(0, LOGGED_MESSAGE_CHARS), stack: error.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 5).join('\n') } : { message: String(error).slice(0, LOGGED_MESSAGE_CHARS) };
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, table, constraint, detail } = e as { code?: unknown; message?: unknown; table?: unknown; constraint?: unknown; detail?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const failedQuery = top.message.startsWith('Failed query') ? { message: 'Failed query (its text and parameters are not logged)' } : {};
      return { ...top, ...failedQuery, database: { code, message, ...(table ? { table } : {}), ...(constraint ? { constraint } : {}), ...(typeof detail === 'string' ? { detail: detail.slice(0, LOGGED_MESSAGE_CHARS) } : {}) } };
    }
  }
  return top;
}
