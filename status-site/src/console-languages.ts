/** The console speaks of the page languages by their English names (the console's own language). */
export const LANGUAGE_LABELS: Record<string, string> = { da: 'Danish', en: 'English', nb: 'Norwegian', sv: 'Swedish', it: 'Italian' };

export const languageLabel = (language: string) => LANGUAGE_LABELS[language] ?? language;

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
 * What readers of the missing languages get, in words for the operator.
 *
 * @example fallbackSentence(['da'], 'en') // 'Danish readers see the English text, marked as English.'
 */
export function fallbackSentence(missing: readonly string[], defaultLanguage: string): string {
  if (missing.length === 0) return '';
  const names = missing.map(languageLabel);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  if (missing.includes(defaultLanguage)) return `${list} not written: readers of a language without text see another language's text, marked with its language.`;
  return `${list} readers see the ${languageLabel(defaultLanguage)} text, marked as ${languageLabel(defaultLanguage)}.`;
}

/** The page languages with the default one first. */
export function defaultFirst(page: { defaultLanguage: string; languages: readonly string[] }): string[] {
  return [page.defaultLanguage, ...page.languages.filter((language) => language !== page.defaultLanguage)];
}
