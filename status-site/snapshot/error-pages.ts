import { readerLanguage } from '../../api/index.ts';
import { isSiteLanguage, type SiteLanguage } from '../src/i18n/messages.ts';

type Texts = { unavailableTitle: string; unavailable: string; badRequestTitle: string; badRequest: string; detail: string };

const TEXTS: Record<SiteLanguage, Texts> = {
  da: {
    unavailableTitle: 'Midlertidigt utilgængelig',
    unavailable: 'Statussiden starter, eller dens data kan ikke læses lige nu, og denne adresse er ikke gjort klar på forhånd. Prøv igen om et minut.',
    badRequestTitle: 'Ugyldig forespørgsel',
    badRequest: 'Adressens forespørgsel (delen efter "?") kan ikke bruges.',
    detail: 'Teknisk detalje',
  },
  en: {
    unavailableTitle: 'Temporarily unavailable',
    unavailable: 'The status page is starting or its data cannot be read just now, and this address has not been kept ready. Try again in a minute.',
    badRequestTitle: 'Bad request',
    badRequest: 'The query of this address (the part after "?") cannot be used.',
    detail: 'Technical detail',
  },
  nb: {
    unavailableTitle: 'Midlertidig utilgjengelig',
    unavailable: 'Statussiden starter, eller dataene kan ikke leses akkurat nå, og denne adressen er ikke gjort klar på forhånd. Prøv igjen om et minutt.',
    badRequestTitle: 'Ugyldig forespørsel',
    badRequest: 'Adressens spørring (delen etter "?") kan ikke brukes.',
    detail: 'Teknisk detalj',
  },
  sv: {
    unavailableTitle: 'Tillfälligt otillgänglig',
    unavailable: 'Statussidan startar eller dess data kan inte läsas just nu, och den här adressen har inte förberetts. Försök igen om en minut.',
    badRequestTitle: 'Ogiltig begäran',
    badRequest: 'Adressens fråga (delen efter "?") kan inte användas.',
    detail: 'Teknisk detalj',
  },
  it: {
    unavailableTitle: 'Temporaneamente non disponibile',
    unavailable: "La pagina di stato si sta avviando o i suoi dati non si possono leggere in questo momento, e questo indirizzo non è stato preparato. Riprova tra un minuto.",
    badRequestTitle: 'Richiesta non valida',
    badRequest: 'La query di questo indirizzo (la parte dopo "?") non può essere usata.',
    detail: 'Dettaglio tecnico',
  },
};

export const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a JSON route says when its data cannot be read and it was not kept ready (JSON speaks English, as the API's other errors do). */
export const UNAVAILABLE_MESSAGE = TEXTS.en.unavailable;

/** The smallest complete page the server writes by itself (errors, an embed's 404): a title, then its paragraphs, already HTML. */
export function shortPage(language: string, title: string, paragraphsHtml: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${paragraphsHtml}</main></body></html>
`;
}

/**
 * The language of a page the server answers by itself, without the database:
 * the one the address names (`/en/…`, `/pages/{id}/sv/…`), else the best of
 * the browser's Accept-Language, else English.
 */
export function addressLanguage(url: string | undefined, acceptLanguage: string | undefined): SiteLanguage {
  const path = (url ?? '/').split('?')[0] ?? '/';
  const named = path.split('/').find((segment) => isSiteLanguage(segment));
  if (named && isSiteLanguage(named)) return named;
  const read = readerLanguage({ carried: undefined, acceptLanguage });
  return isSiteLanguage(read) ? read : 'en';
}

/** The short HTML page of a 503 (data cannot be read, address not kept) or a 400 (query not usable, with its technical reason), in `language`. */
export function errorPage(kind: 'unavailable' | 'badRequest', language: SiteLanguage, technical?: string): string {
  const texts = TEXTS[language];
  const title = kind === 'unavailable' ? texts.unavailableTitle : texts.badRequestTitle;
  const message = kind === 'unavailable' ? texts.unavailable : texts.badRequest;
  // the technical reason is written in English, and marked so
  const detail = technical ? `<p>${escapeHtml(texts.detail)}: <span lang="en">${escapeHtml(technical)}</span></p>` : '';
  return shortPage(language, title, `<p>${escapeHtml(message)}</p>${detail}`);
}
