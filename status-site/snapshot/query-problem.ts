import { isSiteLanguage } from '../src/i18n/messages.ts';

/** Longer queries are refused: no public address needs more, and each distinct query could otherwise be one more thing to keep. */
const MAX_QUERY_CHARACTERS = 256;
/** Parameters a public address reads once; given twice, which one counts would be a guess. */
const SINGLE = ['lang', 'days', 'page', 'component', 'token', 'format'];
const FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  days: { pattern: /^\d{1,3}$/, example: '?days= must be a whole number of days, such as 7' },
  page: { pattern: /^\d{1,6}$/, example: '?page= must be a page number, such as 2' },
};

/**
 * What is wrong with the query of a public address (a page, public JSON, a
 * feed, a badge, the SLA reports, the subscription pages), for its 400, or
 * undefined when nothing is. `embed`: a badge or widget, which answers a
 * well-formed language it does not have with its own 404 rather than a 400.
 */
export function publicQueryProblem(url: string, { embed }: { embed: boolean }): string | undefined {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return undefined;
  const query = url.slice(queryAt + 1);
  if (query.length > MAX_QUERY_CHARACTERS) return `the query string is too long (at most ${MAX_QUERY_CHARACTERS} characters)`;
  try {
    decodeURIComponent(query.replaceAll('+', ' '));
  } catch {
    return 'the query string is not well formed (bad %-encoding)';
  }
  const params = new URLSearchParams(query);
  for (const name of SINGLE) if (params.getAll(name).length > 1) return `give ?${name}= once`;
  const lang = params.get('lang');
  if (lang !== null) {
    if (embed && !/^[a-z]{2,3}$/.test(lang)) return '?lang= must be a language code such as "da" or "en"';
    if (!embed && !isSiteLanguage(lang)) return '?lang= must be one of da, en, it, nb, sv';
  }
  for (const [name, format] of Object.entries(FORMATS)) {
    const value = params.get(name);
    if (value !== null && !format.pattern.test(value)) return format.example;
  }
  return undefined;
}
