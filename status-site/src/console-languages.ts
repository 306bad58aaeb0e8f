import { translator, type ConsoleLanguage } from './console-i18n/index.ts';
import { texts } from './console-i18n/texts.ts';
import { CATALOGUES } from './i18n/messages.ts';

/** The locale the console writes dates and lists with, in each console language. */
export const CONSOLE_LOCALES: Record<ConsoleLanguage, string> = { en: 'en-GB', da: 'da-DK', nb: 'nb-NO', sv: 'sv-SE', it: 'it-IT' };

/** The page languages by their English names (the keys the console accepts in its language fields). */
export const LANGUAGE_LABELS: Record<string, string> = { da: 'Danish', en: 'English', nb: 'Norwegian', sv: 'Swedish', it: 'Italian' };

const isPageLanguage = (language: string): language is 'da' | 'en' | 'nb' | 'sv' | 'it' => language in LANGUAGE_LABELS;

/** A page language's name in the console's language, as written inside a sentence (Danish "engelsk", English "English"). */
export const languageName = (language: string, consoleLanguage: ConsoleLanguage = 'en') =>
  isPageLanguage(language) ? translator(texts, consoleLanguage)(`language_${language}`) : language;

/** A page language's name in the console's language, as a label (capitalised). */
export const languageLabel = (language: string, consoleLanguage: ConsoleLanguage = 'en') => capitalised(languageName(language, consoleLanguage));

const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** The texts a form sent for each language, as fields named `<name>.<language>` (empty ones kept, as typed). */
export function readLanguageFields(form: FormData, name: string, languages: readonly string[]): Record<string, string> {
  return Object.fromEntries(languages.map((language) => [language, String(form.get(`${name}.${language}`) ?? '')]));
}

/** Only the languages written in (what the API is sent: a language left out falls back, marked, to the default). */
export function writtenOnly(texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).map(([language, text]) => [language, text.trim()] as const).filter(([, text]) => text !== ''));
}

/** The languages, in the page's order, a text has no words for. */
export function missingLanguages(texts: Record<string, string>, languages: readonly string[]): string[] {
  return languages.filter((language) => !texts[language]?.trim());
}

/**
 * What readers of the missing languages get, in words for the operator, in the console's language.
 *
 * @example fallbackSentence(['da'], 'en') // 'Danish readers see the English text, marked as English.'
 * @example fallbackSentence(['en'], 'da', 'da') // 'Læsere på engelsk ser teksten på dansk, markeret som dansk.'
 */
export function fallbackSentence(missing: readonly string[], defaultLanguage: string, consoleLanguage: ConsoleLanguage = 'en'): string {
  if (missing.length === 0) return '';
  const t = translator(texts, consoleLanguage);
  const list = new Intl.ListFormat(CONSOLE_LOCALES[consoleLanguage], { type: 'conjunction' }).format(missing.map((l) => languageName(l, consoleLanguage)));
  if (missing.includes(defaultLanguage)) return capitalised(t('defaultMissing', { languages: list }));
  return capitalised(t('readersSee', { languages: list, fallback: languageName(defaultLanguage, consoleLanguage) }));
}

/** The page languages with the default one first. */
export function defaultFirst(page: { defaultLanguage: string; languages: readonly string[] }): string[] {
  return [page.defaultLanguage, ...page.languages.filter((language) => language !== page.defaultLanguage)];
}

/**
 * A word the public site already has (a step, an incident status, a state), in
 * the console's language. The English console keeps the API's own terms
 * ("running status", "investigating"), the ones its documentation uses.
 */
function siteWord(consoleLanguage: ConsoleLanguage, key: string, value: string): string {
  const raw = value.replace(/_/g, ' ');
  if (consoleLanguage === 'en') return raw;
  return (CATALOGUES[consoleLanguage] as Record<string, string>)[key] ?? raw;
}

/** A communication step's name, as the public page names it. */
export const stepName = (step: string, consoleLanguage: ConsoleLanguage) => siteWord(consoleLanguage, `step_${step}`, step);

/** An incident's status (investigating, monitoring, resolved), as the public page names it. */
export const incidentStatusName = (status: string, consoleLanguage: ConsoleLanguage) => siteWord(consoleLanguage, `incidentStatus_${status}`, status);

/** A measured state (down, degraded): "Down" in English, the public page's word otherwise. */
export const stateName = (state: string, consoleLanguage: ConsoleLanguage) => (consoleLanguage === 'en' ? capitalised(state) : siteWord(consoleLanguage, `state_${state}`, state));

/** A declared impact (degraded_performance, major_outage, ...), as the public page names it, English included. */
export const impactName = (impact: string, consoleLanguage: ConsoleLanguage) => (CATALOGUES[consoleLanguage] as Record<string, string>)[`impact_${impact}`] ?? impact.replace(/_/g, ' ');

/** Where a step or reaction stands (pending, overdue, done late, ...), in the console's language. */
export function planStateName(state: string, consoleLanguage: ConsoleLanguage): string {
  const key = `plan_${state}`;
  return key in texts.en ? translator(texts, consoleLanguage)(key as keyof (typeof texts)['en']) : state.replace(/_/g, ' ');
}

/** A translated sentence cut at `{name}`, so a link can go where the language puts it. */
export function around(text: string, name: string): [string, string] {
  const at = text.indexOf(`{${name}}`);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + name.length + 2)];
}
