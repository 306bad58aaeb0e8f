import { DateTime } from 'luxon';
import { closedDays, type CalendarSpec, type ClosedDay } from './calendar.ts';
import { intersect, normalize, type Interval } from './interval-set.ts';

/** When an SLA counts: around the clock, or business hours on a calendar. */
export type CoverageSpec =
  | { kind: 'always' }
  | { kind: 'business-hours'; weekdays: readonly number[]; start: string; end: string; calendar?: CalendarSpec | undefined };

export type Covered = { intervals: Interval[]; closedDays: ClosedDay[] };

/**
 * The covered instants of `period`, as UTC intervals. Business hours are cut
 * in the profile's own time zone day by day, so they stay 08:00–16:00 local
 * on both sides of a daylight-saving change; weekends, holidays and closures
 * are left out.
 *
 * @example coveredIntervals({ coverage: { kind: 'always' }, timeZone: 'Europe/Oslo', period }).intervals // [period]
 */
export function coveredIntervals(args: { coverage: CoverageSpec; timeZone: string; period: Interval }): Covered {
  const { coverage, timeZone, period } = args;
  if (coverage.kind === 'always') return { intervals: normalize([period]), closedDays: [] };
  const first = DateTime.fromMillis(period.start, { zone: timeZone }).startOf('day');
  const last = DateTime.fromMillis(period.end - 1, { zone: timeZone }).startOf('day');
  const closed = closedDays(coverage.calendar, first.toISODate()!, last.toISODate()!);
  const closedDates = new Set(closed.map((d) => d.date));
  const [startHour, startMinute] = coverage.start.split(':').map(Number) as [number, number];
  const [endHour, endMinute] = coverage.end.split(':').map(Number) as [number, number];
  const days: Interval[] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    if (!coverage.weekdays.includes(day.weekday) || closedDates.has(day.toISODate()!)) continue;
    days.push({ start: day.set({ hour: startHour, minute: startMinute }).toMillis(), end: day.set({ hour: endHour, minute: endMinute }).toMillis() });
  }
  const weekdaysClosed = closed.filter((d) => coverage.weekdays.includes(DateTime.fromISO(d.date, { zone: timeZone }).weekday));
  return { intervals: intersect(normalize(days), [period]), closedDays: weekdaysClosed };
}
