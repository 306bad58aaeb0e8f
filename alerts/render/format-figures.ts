import { MAIL_MESSAGES, type MailLanguage } from './messages.ts';

// building an Intl formatter costs far more than using one: one per language and style, kept for the process
const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

function numberFormat(language: MailLanguage, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = NUMBER_FORMATS.get(key);
  if (!format) NUMBER_FORMATS.set(key, (format = new Intl.NumberFormat(MAIL_MESSAGES[language].locale, options)));
  return format;
}

function dateFormat(language: MailLanguage, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = DATE_FORMATS.get(key);
  if (!format) DATE_FORMATS.set(key, (format = new Intl.DateTimeFormat(MAIL_MESSAGES[language].locale, options)));
  return format;
}

/**
 * A ratio as a percentage with three decimals, the precision contracts are
 * written in (99.5 % vs 99.95 %), in the reader's number format.
 *
 * @example formatPercent(0.99726, 'da') // '99,726 %'
 */
export function formatPercent(ratio: number, language: MailLanguage): string {
  // cut, never rounded up, as on the site: a missed target never reads as met
  return numberFormat(language, { style: 'percent', minimumFractionDigits: 3, maximumFractionDigits: 3, roundingMode: 'trunc' }).format(ratio);
}

const monthName = (month: number, language: MailLanguage) => dateFormat(language, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 15)));

/**
 * A period key in words: a month by name, a tertial with the months it
 * spans, a year as itself.
 *
 * @example formatPeriod('2026-03', 'en') // 'March 2026'
 * @example formatPeriod('2026-T2', 'da') // 'T2 2026 (maj–august)'
 */
export function formatPeriod(key: string, language: MailLanguage): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return dateFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 15)));
  const tertial = /^(\d{4})-T([1-3])$/.exec(key);
  if (tertial) {
    const first = (Number(tertial[2]) - 1) * 4 + 1;
    return `T${tertial[2]} ${tertial[1]} (${monthName(first, language)}–${monthName(first + 3, language)})`;
  }
  return key;
}

/** The calendar day `iso` falls on in `timeZone`, as the reader writes dates. */
export function formatDay(iso: string, language: MailLanguage, timeZone: string): string {
  return dateFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}
