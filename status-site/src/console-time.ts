import { DateTime } from 'luxon';

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
export function readLocalTime(value: string, timeZone: string): { iso: string } | { error: string } {
  if (!isTimeZone(timeZone)) return { error: `"${timeZone}" is not a time zone; choose one from the list` };
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return { error: `"${value}" is not a date and time; use the picker or type e.g. 2026-03-01T03:30` };
  const local = DateTime.fromISO(value, { zone: timeZone });
  if (!local.isValid) return { error: `"${value}" is not a date and time` };
  if (local.toFormat("yyyy-MM-dd'T'HH:mm") !== value.slice(0, 16)) return { error: `${value.replace('T', ' ')} does not exist in ${timeZone}: the clocks go forward then; choose a time after the change` };
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
