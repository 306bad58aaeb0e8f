import { createMiddleware } from 'hono/factory';
import { DomainError } from './errors.ts';

/** A NUL or a UTF-16 surrogate without its pair: text no database column, log line or page should take. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (!text.isWellFormed()) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/** The first string inside a JSON value (keys included) that has a problem, with its path. */
export function jsonProblem(value: unknown, path = 'body'): string | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? `${path} ${problem}` : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = jsonProblem(item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key) ? `${path} has a key that ${textProblem(key)!}` : jsonProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * Refuses, with 400 and before any handler runs, a path, query or JSON body
 * that is not clean text: a malformed percent-escape, a NUL, a lone surrogate,
 * or JSON that does not parse. Handlers and the database then only see text
 * they can store and show.
 */
export const cleanInput = createMiddleware(async (c, next) => {
  const url = new URL(c.req.url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname) + decodeURIComponent(url.search.replace(/\+/g, ' '));
  } catch {
    throw new DomainError('VALIDATION', 'the URL has a malformed percent-escape');
  }
  const inUrl = textProblem(decoded);
  if (inUrl) throw new DomainError('VALIDATION', `the URL ${inUrl}`);
  // a probe's result batch is checked result by result by the ingest contract (one bad result must not refuse the batch)
  const perItem = url.pathname === '/api/v1/probe/results';
  if (!perItem && c.req.header('content-type')?.toLowerCase().includes('json') && !['GET', 'HEAD'].includes(c.req.method)) {
    const text = await c.req.text();
    if (text.length > 0) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new DomainError('VALIDATION', 'the body is not valid JSON');
      }
      const problem = jsonProblem(body);
      if (problem) throw new DomainError('VALIDATION', problem);
    }
  }
  await next();
});
