import { DomainError } from '../http/errors.ts';

/**
 * Refuses a per-language text that names a language the page does not offer,
 * or that is empty in every language: a text readers could never be shown.
 * A plain string (one text for every language) passes as it is.
 *
 * @example checkTextLanguages({ field: 'description', text: { da: 'Opdatering' }, languages: ['da', 'en'] })
 */
export function checkTextLanguages(args: { field: string; text: string | Record<string, string>; languages: readonly string[] }): void {
  if (typeof args.text === 'string') return;
  const strange = Object.keys(args.text).filter((language) => !args.languages.includes(language));
  if (strange.length > 0) throw new DomainError('VALIDATION', `${args.field}: no page here offers ${strange.join(', ')}; write it in ${args.languages.join(', ')}`);
  if (!Object.values(args.text).some((text) => text.trim() !== '')) throw new DomainError('VALIDATION', `${args.field}: write it in at least one language (${args.languages.join(', ')})`);
}

/** Drops the languages left empty (they fall back to the page's default language, marked, when shown). */
export function withoutEmptyLanguages(text: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(text).map(([language, value]) => [language, value.trim()] as const).filter(([, value]) => value !== ''));
}

