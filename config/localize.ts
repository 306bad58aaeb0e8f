import type { Language, LocalizedText } from './schema.ts';

/** The text in `language`, else in `fallback`, else the first one given. */
export function localize(text: LocalizedText, language: Language, fallback?: Language): string {
  if (typeof text === 'string') return text;
  return text[language] ?? (fallback ? text[fallback] : undefined) ?? Object.values(text)[0] ?? '';
}
