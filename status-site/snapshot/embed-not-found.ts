import { isSiteLanguage } from '../src/i18n/messages.ts';
import { escapeHtml, shortPage } from './error-pages.ts';

const TEXTS = {
  da: { title: 'Ikke fundet', page: 'Statussiden "{id}" findes ikke.', component: 'Komponenten "{id}" findes ikke på denne statusside.', language: 'Denne statusside findes ikke på det valgte sprog.' },
  en: { title: 'Not found', page: 'There is no status page "{id}".', component: 'There is no component "{id}" on this status page.', language: 'This status page is not published in that language.' },
  nb: { title: 'Ikke funnet', page: 'Statussiden "{id}" finnes ikke.', component: 'Komponenten "{id}" finnes ikke på denne statussiden.', language: 'Denne statussiden finnes ikke på valgt språk.' },
  sv: { title: 'Hittades inte', page: 'Statussidan "{id}" finns inte.', component: 'Komponenten "{id}" finns inte på den här statussidan.', language: 'Den här statussidan finns inte på det valda språket.' },
  it: { title: 'Non trovato', page: 'La pagina di stato "{id}" non esiste.', component: 'Il componente "{id}" non esiste in questa pagina di stato.', language: 'Questa pagina di stato non è pubblicata in questa lingua.' },
} as const;

/**
 * The 404 page of a badge or widget address, in the reader's language: the
 * one asked for with `?lang=` when the site has it, else `fallback`.
 */
export function embedNotFoundPage(args: { what: 'page' | 'component' | 'language'; id: string; language: string | undefined; fallback: string }): string {
  const language = isSiteLanguage(args.language) ? args.language : isSiteLanguage(args.fallback) ? args.fallback : 'da';
  const texts = TEXTS[language];
  const message = texts[args.what].replace('{id}', args.id);
  return shortPage(language, texts.title, `<p>${escapeHtml(message)}</p>`);
}
