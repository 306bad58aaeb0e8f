import type { AstroGlobal } from 'astro';
import { DateTime } from 'luxon';

export type Operator = { email: string; role: string; csrfToken: string };

/** The logged-in operator, or undefined (the page then redirects to the login). */
export async function currentOperator(Astro: AstroGlobal): Promise<Operator | undefined> {
  // the console is personal: never cached, never framed
  Astro.response.headers.set('cache-control', 'no-store');
  Astro.response.headers.set('x-frame-options', 'DENY');
  const me = await Astro.locals.api('/api/v1/auth/me', { headers: { cookie: Astro.request.headers.get('cookie') ?? '' } });
  return me.status === 200 ? (me.body as Operator) : undefined;
}

/** Calls the operator API as the visitor: their cookie, and the CSRF token their form sent back. */
export function callAs(Astro: AstroGlobal, path: string, init: { method?: string; body?: unknown; csrf?: string } = {}) {
  return Astro.locals.api(path, {
    method: init.method ?? 'GET',
    headers: { cookie: Astro.request.headers.get('cookie') ?? '', ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

export function errorMessage(body: unknown): string {
  const error = (body as { error?: { message?: string } } | null)?.error;
  return error?.message ?? 'the request failed';
}

/** A time in the page's zone, and how far it is from now, for deadlines. */
export function dueText(iso: string | null, now: Date, timeZone = 'Europe/Copenhagen'): string {
  if (!iso) return 'no deadline';
  const at = new Date(iso);
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
  const rel = minutes >= 0 ? `in ${humanMinutes(minutes)}` : `${humanMinutes(-minutes)} overdue`;
  return `${when} (${rel})`;
}

function humanMinutes(m: number): string {
  return m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 1440)} days`;
}

/** A datetime-local value (no offset) read as Copenhagen time, which Oslo, Stockholm and Rome share, as a UTC instant. */
export function localToInstant(value: string): string {
  const local = DateTime.fromISO(value, { zone: 'Europe/Copenhagen' });
  return local.isValid ? local.toUTC().toISO()! : 'invalid';
}
