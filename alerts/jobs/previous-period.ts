import { DateTime } from 'luxon';

/** The lengths a scheduled report covers. A tertial is four months: January–April (T1), May–August (T2), September–December (T3). */
export type ReportKind = 'month' | 'tertial' | 'year';

/**
 * The key of the last whole period of `kind` before `at`, reading `at` in
 * `timeZone`: `2026-03` (month), `2025-T3` (tertial) or `2025` (year), as
 * the SLA report routes name periods. Pure.
 *
 * @example previousPeriodKey('tertial', new Date('2026-01-07T07:00:00Z'), 'Europe/Copenhagen') // '2025-T3'
 */
export function previousPeriodKey(kind: ReportKind, at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (kind === 'month') return local.minus({ months: 1 }).toFormat('yyyy-MM');
  if (kind === 'year') return String(local.year - 1);
  const current = Math.floor((local.month - 1) / 4) + 1;
  return current === 1 ? `${local.year - 1}-T3` : `${local.year}-T${current - 1}`;
}
