import type { TemplateLanguage } from './templates.ts';

/** The words of automatic incident titles, per language: "{names}: unavailable", "… and 3 more". */
export const TITLE_WORDS: Record<TemplateLanguage, { down: string; degraded: string; and: string; more: string }> = {
  da: { down: 'utilgængelig', degraded: 'nedsat ydelse', and: 'og', more: 'flere' },
  en: { down: 'unavailable', degraded: 'degraded', and: 'and', more: 'more' },
  nb: { down: 'utilgjengelig', degraded: 'redusert ytelse', and: 'og', more: 'flere' },
  sv: { down: 'otillgänglig', degraded: 'nedsatt prestanda', and: 'och', more: 'fler' },
  it: { down: 'non disponibile', degraded: 'prestazioni ridotte', and: 'e', more: 'altri' },
};
