import type { CertificateInfo, FailureReason, PhasesMs } from './contract.ts';
import { PHASE_TEXT } from './classify-error.ts';
import { exchangeOnce } from './https-exchange.ts';

export type SourceDocument =
  | { ok: true; text: string; bytes: Buffer; truncated: boolean; phasesMs: PhasesMs; certificate: CertificateInfo }
  | { ok: false; reason: FailureReason; message: string; httpStatus?: number; phasesMs: PhasesMs; certificate?: CertificateInfo };

/**
 * GETs a third party's public status document (a summary.json, a feed) under
 * the check's deadline and bounded to `maxBodyBytes`. Anything but a 200 is
 * a failure with a reason and a message naming `what` was read; a timeout
 * names the phase it stalled in. Never throws.
 */
export async function readSourceDocument(args: {
  url: URL;
  accept: string;
  /** What the document is, for messages: "status page", "feed". */
  what: string;
  timeoutMs: number;
  maxBodyBytes: number;
  trustedCa: string[] | undefined;
}): Promise<SourceDocument> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), args.timeoutMs);
  try {
    const exchange = await exchangeOnce({
      url: args.url,
      method: 'GET',
      headers: { accept: args.accept },
      ipFamily: 'auto',
      trustedCa: args.trustedCa,
      signal: deadline.signal,
      maxBodyBytes: args.maxBodyBytes,
    });
    if (!exchange.ok) {
      const why = deadline.signal.aborted ? `no answer within ${args.timeoutMs} ms ${PHASE_TEXT[exchange.phase]}` : exchange.message;
      return { ok: false, reason: exchange.reason, message: `${args.what} not reachable: ${why}`, phasesMs: exchange.phases, ...(exchange.certificate ? { certificate: exchange.certificate } : {}) };
    }
    if (exchange.status !== 200) {
      return { ok: false, reason: 'upstream_unreadable', message: `${args.what} answered HTTP ${exchange.status}`, httpStatus: exchange.status, phasesMs: exchange.phases, certificate: exchange.certificate };
    }
    return { ok: true, text: exchange.body.toString('utf8'), bytes: exchange.body, truncated: exchange.truncated, phasesMs: exchange.phases, certificate: exchange.certificate };
  } finally {
    clearTimeout(timer);
  }
}

/** Said after "the answer is not …" when the body was cut, since a cut document never parses. */
export function cutNote(truncated: boolean, maxBodyBytes: number): string {
  return truncated ? ` (only the first ${maxBodyBytes} bytes were read: the answer is longer than maxBodyBytes)` : '';
}

/** An instant as the contract takes it (ISO with offset, years 1–9999), or nothing for a date that does not parse. */
export function toInstant(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) return undefined;
  const year = time.getUTCFullYear();
  return year >= 1 && year <= 9999 ? time.toISOString() : undefined;
}
