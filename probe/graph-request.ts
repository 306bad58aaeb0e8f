import type { GraphCheck } from '../config/index.ts';
import { PHASE_TEXT } from './classify-error.ts';
import type { FailureReason, PhasesMs } from './contract.ts';
import { exchangeOnce, type Exchange } from './https-exchange.ts';

/** Why a step against Microsoft failed, ready to become an `unknown` result. */
export type GraphFailure = { reason: FailureReason; message: string; httpStatus?: number; phasesMs?: PhasesMs; retryAfterMs?: number };
export type GraphStep<T> = { ok: true; value: T; phasesMs: PhasesMs } | { ok: false; failure: GraphFailure };

/** When Microsoft says to wait and does not say how long. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** One request to Microsoft under the read's deadline; a network failure or timeout names `step` ("getting a token"). */
export async function sendToMicrosoft(args: {
  check: GraphCheck;
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  trustedCa: string[] | undefined;
  step: string;
}): Promise<{ ok: true; exchange: Extract<Exchange, { ok: true }> } | { ok: false; failure: GraphFailure }> {
  const exchange = await exchangeOnce({
    url: args.url,
    method: args.method,
    headers: args.headers,
    ...(args.body === undefined ? {} : { body: args.body }),
    ipFamily: 'auto',
    trustedCa: args.trustedCa,
    signal: args.signal,
    maxBodyBytes: args.check.maxBodyBytes,
  });
  if (exchange.ok) return { ok: true, exchange };
  const why = args.signal.aborted ? `no answer within ${args.check.timeoutMs} ms ${PHASE_TEXT[exchange.phase]}` : exchange.message;
  return { ok: false, failure: { reason: exchange.reason, message: `Microsoft not reachable ${args.step}: ${why}`, phasesMs: exchange.phases } };
}

/** How long a 429 or 503 asks to wait: Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now.getTime());
}

/** The JSON body of an answer, or undefined when it is not JSON. */
export function jsonOf(exchange: Extract<Exchange, { ok: true }>): unknown {
  try {
    return JSON.parse(exchange.body.toString('utf8'));
  } catch {
    return undefined;
  }
}
