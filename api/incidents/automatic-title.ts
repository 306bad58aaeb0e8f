import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { TEMPLATE_LANGUAGES } from './templates.ts';
import { TITLE_WORDS } from './title-words.ts';

/** Names listed in a title before the rest are counted ("A, B, C and 4 more"), so a title stays readable. */
const NAMES_SHOWN = 3;

export type Affected = { name: LocalizedText; state: 'down' | 'degraded' };

/**
 * The title of an automatic incident: what is affected now, in every
 * language, down components first.
 *
 * @example automaticTitle([{ name: { da: 'Post', en: 'Mail' }, state: 'down' }]).en // "Mail: unavailable"
 */
export function automaticTitle(affected: readonly Affected[]): Record<Language, string> {
  const down = affected.filter((a) => a.state === 'down');
  const degraded = affected.filter((a) => a.state === 'degraded');
  return Object.fromEntries(
    TEMPLATE_LANGUAGES.map((language) => {
      const words = TITLE_WORDS[language];
      const part = (list: readonly Affected[], word: string) => `${nameList(list.map((a) => localize(a.name, language)), words)}: ${word}`;
      const parts = [...(down.length > 0 ? [part(down, words.down)] : []), ...(degraded.length > 0 ? [part(degraded, words.degraded)] : [])];
      return [language, parts.join('; ')];
    }),
  ) as Record<Language, string>;
}

function nameList(names: readonly string[], words: { and: string; more: string }): string {
  if (names.length <= NAMES_SHOWN) return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${words.and} ${names.at(-1)}`;
  return `${names.slice(0, NAMES_SHOWN).join(', ')} ${words.and} ${names.length - NAMES_SHOWN} ${words.more}`;
}
