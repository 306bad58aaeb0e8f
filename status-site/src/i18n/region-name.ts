import { localize, type LocalizedText } from '../../../config/index.ts';
import type { SiteLanguage } from './messages.ts';

/** A probe region as visitors read it: its configured name in their language, or its id when it has none. */
export function regionName(names: ReadonlyMap<string, LocalizedText> | undefined, id: string, language: SiteLanguage): string {
  const name = names?.get(id);
  return name === undefined ? id : localize(name, language);
}
