import { DateTime } from 'luxon';
import { translator, type ConsoleLanguage } from './console-i18n/index.ts';
import { texts } from './console-i18n/texts.ts';

/** Whether `zone` is an IANA time zone this runtime knows (e.g. Europe/Copenhagen). */
export function isTimeZone(zone: string): boolean {
  return zone.length > 0 && DateTime.now().setZone(zone).isValid;
}

/**
 * A time an operator typed (a datetime-local value, which has no zone) read in
 * the zone shown beside the field, as the UTC instant it names. Never read in
 * the server's own zone: a server in UTC would shift a Copenhagen 03:30 by an
 * hour. A wall time that does not exist there (skipped when the clocks go
 * forward) is refused rather than moved; one that happens twice (the clocks
 * go back) is read as the second, in standard time.
 *
 * @example readLocalTime('2026-11-22T03:30', 'Europe/Copenhagen') // { iso: '2026-11-22T02:30:00.000Z' }
 */
export function readLocalTime(value: string, timeZone: string, language: ConsoleLanguage = 'en'): { iso: string } | { error: string } {
  // the reason is the console's own words, so in the operator's language
  const t = translator(texts, language);
  if (!isTimeZone(timeZone)) return { error: t('zoneUnknown', { zone: timeZone }) };
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return { error: t('notDateTime', { value }) };
  const local = DateTime.fromISO(value, { zone: timeZone });
  if (!local.isValid) return { error: t('notDateTimeShort', { value }) };
  if (local.toFormat("yyyy-MM-dd'T'HH:mm") !== value.slice(0, 16)) return { error: t('skippedTime', { value: value.replace('T', ' '), zone: timeZone }) };
  return { iso: local.toUTC().toISO()! };
}

/** An instant as the operator reads it: in their zone, with the zone named, written the way `locale` writes dates. */
export function formatInZone(iso: string, timeZone: string, locale = 'en-GB'): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))} (${timeZone})`;
}

/** Every zone to offer in a picker. */
export function timeZones(): string[] {
  return Intl.supportedValuesOf('timeZone');
}
