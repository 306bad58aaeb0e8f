/** Why an address is refused; the reader is told in their language (see html-pages.ts). */
export type AddressProblem = 'empty' | 'too_long' | 'invalid_format' | 'disposable';

/** Domains of throwaway mailboxes: mail to them reaches nobody who will read it next month. */
const DISPOSABLE = new Set(['mailinator.com', 'guerrillamail.com', 'guerrillamail.info', 'sharklasers.com', '10minutemail.com', 'yopmail.com', 'trashmail.com', 'temp-mail.org', 'tempmail.com', 'throwawaymail.com', 'getnada.com', 'dispostable.com', 'maildrop.cc', 'fakeinbox.com', 'mailnesia.com']);

/**
 * Normalises and checks an e-mail address: trimmed, domain lower-cased, at
 * most 254 characters (RFC 5321), one `@`, a local part without spaces, a
 * domain of dot-separated labels with a top-level part.
 *
 * @example validateAddress(' Ida@Kommune.DK ') // { ok: true, address: 'ida@kommune.dk' }
 */
export function validateAddress(input: string): { ok: true; address: string } | { ok: false; problem: AddressProblem } {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  if (trimmed.length > 254) return { ok: false, problem: 'too_long' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, problem: 'invalid_format' };
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (local.length > 64 || /[\s@<>()[\]\\,;:"]/.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return { ok: false, problem: 'invalid_format' };
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(l)) || !/^\p{L}{2,}$/u.test(labels.at(-1)!)) return { ok: false, problem: 'invalid_format' };
  if (DISPOSABLE.has(domain)) return { ok: false, problem: 'disposable' };
  // the local part keeps its case on the wire, but two spellings are one subscriber
  return { ok: true, address: `${local.toLowerCase()}@${domain}` };
}
