import { LOCALES, type SiteLanguage } from './messages.ts';

// Building an Intl formatter costs far more than using one (locale data, zone rules):
// one formatter per language, style and zone, kept for the life of the process.
// The keys are bounded: five languages × a few styles × the pages' zones.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateTimeFormat(language: SiteLanguage, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(LOCALES[language], options)));
  return format;
}

function numberFormat(language: SiteLanguage, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(LOCALES[language], options)));
  return format;
}

/** Date and time in the page's time zone, e.g. "21. nov. 2026 14.05". */
export function formatDateTime(iso: string, language: SiteLanguage, timeZone: string): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A local calendar date (`YYYY-MM-DD`) in words, e.g. "21. november 2026". */
export function formatDay(date: string, language: SiteLanguage): string {
  // the date is already local to the page; format it at noon UTC so no zone shifts the day
  return dateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** The calendar month (`YYYY-MM`) that `iso` falls in, in `timeZone`. */
export function monthOf(iso: string, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date(iso)).slice(0, 7);
}

/**
 * A ratio as a percentage with enough decimals to tell 99.9 % from 100 %.
 * Cut, never rounded up: 98.996 % against a 99 % target reads "98.99 %", not
 * a "99.00 %" marked as missed, and only 100 % itself reads "100 %".
 */
export function formatPercent(ratio: number, language: SiteLanguage): string {
  const digits = ratio === 1 ? 0 : ratio >= 0.999 ? 3 : 2;
  return numberFormat(language, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, roundingMode: 'trunc' }).format(ratio);
}

/** A period key in words: `2026-03` → "March 2026", `2026-T1` → "T1 2026", `2026` → "2026". */
export function formatPeriod(key: string, language: SiteLanguage): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return dateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 15)));
  const tertial = /^(\d{4})-T([1-3])$/.exec(key);
  if (tertial) return `T${tertial[2]} ${tertial[1]}`;
  return key;
}

/** Seconds as hours and minutes, e.g. "3 h 20 min"; "0" for nothing. */
export function formatDuration(seconds: number, language: SiteLanguage): string {
  if (seconds <= 0) return '0';
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const number = numberFormat(language, {});
  if (hours === 0) return `${number.format(minutes)} min`;
  return minutes % 60 === 0 ? `${number.format(hours)} h` : `${number.format(hours)} h ${minutes % 60} min`;
}

/** A number in the reader's way of writing it, rounded to `digits` decimals, e.g. "1.234" in Danish. */
export function formatNumber(value: number, language: SiteLanguage, digits = 0): string {
  return numberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** The time of day in the page's time zone, e.g. "14.00". */
export function formatTime(iso: string, language: SiteLanguage, timeZone: string): string {
  return dateTimeFormat(language, { timeStyle: 'short', timeZone }).format(new Date(iso));
}
