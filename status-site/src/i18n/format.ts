import { LOCALES, type SiteLanguage } from './messages.ts';

/** Date and time in the page's time zone, e.g. "21. nov. 2026 14.05". */
export function formatDateTime(iso: string, language: SiteLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A local calendar date (`YYYY-MM-DD`) in words, e.g. "21. november 2026". */
export function formatDay(date: string, language: SiteLanguage): string {
  // the date is already local to the page; format it at noon UTC so no zone shifts the day
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** A ratio as a percentage with enough decimals to tell 99.9 % from 100 %. */
export function formatPercent(ratio: number, language: SiteLanguage): string {
  const digits = ratio === 1 ? 0 : ratio >= 0.999 ? 3 : 2;
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ratio);
}
