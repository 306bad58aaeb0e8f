import type { AstroGlobal } from 'astro';
import { isTimeZone, readLocalTime } from './console-time.ts';
import { consoleLanguage, HTML_LANG, translator, type ConsoleLanguage } from './console-i18n/index.ts';
import { texts } from './console-i18n/texts.ts';
import { unreachable } from './console-i18n/unreachable.ts';
import { CONSOLE_LOCALES } from './console-languages.ts';

export { formatInZone, readLocalTime, timeZones } from './console-time.ts';

/** `allOrganisations`: an account not limited to some organisations (what installation-wide actions such as a config reload need). */
export type Operator = { email: string; role: string; allOrganisations?: boolean; csrfToken: string };

/**
 * The logged-in operator; or the answer to give instead: the login page when
 * not logged in, or (the API unreachable, e.g. its database down) a 503 page
 * that shows the reason and gives back what the visitor had typed, so no text
 * is lost and they can send it again.
 */
export async function operatorOrStop(Astro: AstroGlobal): Promise<Operator | Response> {
  Astro.response.headers.set('cache-control', 'no-store');
  const me = await Astro.locals.api('/api/v1/auth/me', { headers: { cookie: Astro.request.headers.get('cookie') ?? '' } });
  if (me.status === 200) return me.body as Operator;
  if (me.status === 401) return Astro.redirect('/console/login/', 303);
  return unavailable(Astro, me.body);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A plain page (no script, no layout that needs data) saying why, with the
 * posted fields given back in a form to send again. `body` is the API's
 * answer: its database out of reach (code UNAVAILABLE) is said in the
 * console's language; any other reason is the API's own words.
 */
export async function unavailable(Astro: AstroGlobal, body: unknown, form?: FormData): Promise<Response> {
  const language = consoleLanguage(Astro);
  const code = (body as { error?: { code?: string } } | null)?.error?.code;
  const reason = code === 'UNAVAILABLE' ? translator(unreachable, language)('databaseUnreachable') : errorMessage(body);
  let posted = form;
  try {
    posted ??= Astro.request.method === 'POST' ? await Astro.request.clone().formData() : undefined;
  } catch {
    // not a form: nothing to give back
  }
  return unavailableResponse(reason, posted, language);
}

/** The 503 page itself, for a page or the console's middleware. */
export function unavailableResponse(reason: string, posted: FormData | undefined, language: ConsoleLanguage = 'en'): Response {
  const t = translator(texts, language);
  const fields: [string, string][] = [];
  for (const [name, value] of posted ?? []) if (typeof value === 'string') fields.push([name, value]);
  const kept = fields
    .map(([name, value], i) => (name === 'csrf' ? `<input type="hidden" name="csrf" value="${escapeHtml(value)}">` : `<p><label for="f${i}">${escapeHtml(name)}</label><br><textarea id="f${i}" name="${escapeHtml(name)}" rows="${value.length > 80 ? 6 : 1}" cols="60">${escapeHtml(value)}</textarea></p>`))
    .join('\n');
  const body = `<!doctype html>
<html lang="${HTML_LANG[language]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(t('unavailableTitle'))}</title></head>
<body><main><h1>${escapeHtml(t('unavailableHeading'))}</h1>
<p role="alert">${escapeHtml(reason)}</p>
${fields.length > 0 ? `<p>${escapeHtml(t('nothingLost'))}</p>\n<form method="post">${kept}<p><button type="submit">${escapeHtml(t('sendAgain'))}</button></p></form>` : `<p><a href="">${escapeHtml(t('tryAgain'))}</a></p>`}
</main></body></html>`;
  return new Response(body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' } });
}

/** The client address and protocol the HTTP server worked out for this request (see api/http/client-address.ts), to pass on to the API. */
export function forwardedClient(Astro: AstroGlobal): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['x-statusvakt-client-address', 'x-statusvakt-client-proto']) {
    const value = Astro.request.headers.get(name);
    if (value) headers[name] = value;
  }
  return headers;
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

/** A time in the page's zone, and how far it is from now, for deadlines, in the console's language. */
export function dueText(iso: string | null, now: Date, timeZone = 'Europe/Copenhagen', language: ConsoleLanguage = 'en'): string {
  const t = translator(texts, language);
  if (!iso) return t('noDeadline');
  const at = new Date(iso);
  const diffMs = at.getTime() - now.getTime();
  const when = new Intl.DateTimeFormat(CONSOLE_LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
  // a deadline passed by seconds is already overdue: never "in 0 min" for a step that is late
  const rel = diffMs >= 0 ? t('dueIn', { time: humanMinutes(Math.round(diffMs / 60_000), t) }) : t('overdueBy', { time: humanMinutes(Math.max(1, Math.round(-diffMs / 60_000)), t) });
  return `${when} (${rel})`;
}

function humanMinutes(m: number, t: ReturnType<typeof translator<keyof (typeof texts)['en']>>): string {
  return m < 60 ? t('minutes', { minutes: m }) : m < 48 * 60 ? t('hoursMinutes', { hours: Math.floor(m / 60), minutes: m % 60 }) : t('days', { days: Math.floor(m / 1440) });
}

/** A datetime-local value (no offset) read in `timeZone` (Copenhagen unless said, which Oslo, Stockholm and Rome share), as a UTC instant. */
export function localToInstant(value: string, timeZone = 'Europe/Copenhagen'): string {
  const read = readLocalTime(value, timeZone);
  return 'iso' in read ? read.iso : 'invalid';
}

/** The cookie that keeps the time zone an operator chose for the times they type and read. */
export const ZONE_COOKIE = 'sv_zone';

/**
 * The zone an operator types and reads times in: the one posted with a form
 * (remembered in a cookie), else the one chosen before, else the page's.
 */
export function operatorZone(Astro: AstroGlobal, pageZone: string, posted?: string): string {
  if (posted && isTimeZone(posted)) {
    Astro.cookies.set(ZONE_COOKIE, posted, { path: '/console/', httpOnly: true, sameSite: 'strict', maxAge: 365 * 86_400 });
    return posted;
  }
  const chosen = Astro.cookies.get(ZONE_COOKIE)?.value;
  return chosen && isTimeZone(chosen) ? chosen : pageZone;
}

/** The time zone of the default page (the first the API lists), which the console uses unless the operator chose another. */
export async function defaultPageZone(Astro: AstroGlobal): Promise<string> {
  const pages = ((await Astro.locals.api('/api/v1/pages')).body as { pages?: { id: string }[] } | null)?.pages ?? [];
  if (pages.length === 0) return 'Europe/Copenhagen';
  const summary = (await Astro.locals.api(`/pages/${encodeURIComponent(pages[0]!.id)}/api/v2/summary.json`)).body as { page?: { time_zone?: string } } | null;
  return summary?.page?.time_zone ?? 'Europe/Copenhagen';
}
