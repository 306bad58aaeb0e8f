import { DateTime } from 'luxon';

/** A profile's rules for planned service windows (OS2faktor §4.1, UNI-Login §2.2). */
export type WindowPolicy = {
  maxPerMonth?: number | undefined;
  maxPerYear?: number | undefined;
  /** Windows must lie within one occurrence of this weekly span, e.g. Saturday 04:00 to Monday 04:00 (ISO weekdays, local time). */
  allowedSpan?: { fromWeekday: number; fromTime: string; toWeekday: number; toTime: string } | undefined;
  maxDurationMinutes?: number | undefined;
  /** Announced at least this many calendar months before it starts. */
  minNoticeMonths?: number | undefined;
  /** Whether a window that breaks the rules may still run, flagged as an emergency. */
  emergencyAllowed: boolean;
};

export type WindowRule = 'max_per_month' | 'max_per_year' | 'allowed_span' | 'max_duration' | 'min_notice';
export type BrokenRule = { rule: WindowRule; message: string };

export type WindowVerdict =
  | { verdict: 'accepted' }
  | { verdict: 'emergency'; broken: BrokenRule[] }
  | { verdict: 'refused'; broken: BrokenRule[] };

type Window = { plannedStart: number; plannedEnd: number; announcedAt: number };

/**
 * Checks a proposed window against the policy and the windows already planned
 * (emergency windows do not use up the quota). Every broken rule is named.
 */
export function checkWindowPolicy(args: { policy: WindowPolicy; window: Window; planned: readonly (Window & { emergency?: boolean })[]; timeZone: string }): WindowVerdict {
  const { policy, window, timeZone } = args;
  const start = DateTime.fromMillis(window.plannedStart, { zone: timeZone });
  const end = DateTime.fromMillis(window.plannedEnd, { zone: timeZone });
  const broken: BrokenRule[] = [];
  const quota = args.planned.filter((w) => !w.emergency).map((w) => DateTime.fromMillis(w.plannedStart, { zone: timeZone }));

  if (policy.maxDurationMinutes !== undefined && end.diff(start, 'minutes').minutes > policy.maxDurationMinutes) {
    broken.push({ rule: 'max_duration', message: `lasts ${Math.round(end.diff(start, 'minutes').minutes)} minutes; at most ${policy.maxDurationMinutes} are allowed` });
  }
  if (policy.maxPerMonth !== undefined) {
    const inMonth = quota.filter((t) => t.hasSame(start, 'month')).length;
    if (inMonth >= policy.maxPerMonth) broken.push({ rule: 'max_per_month', message: `${start.toFormat('yyyy-MM')} already has ${inMonth} window(s); at most ${policy.maxPerMonth} a month` });
  }
  if (policy.maxPerYear !== undefined) {
    const inYear = quota.filter((t) => t.hasSame(start, 'year')).length;
    if (inYear >= policy.maxPerYear) broken.push({ rule: 'max_per_year', message: `${start.year} already has ${inYear} window(s); at most ${policy.maxPerYear} a year` });
  }
  if (policy.minNoticeMonths !== undefined) {
    const earliest = DateTime.fromMillis(window.announcedAt, { zone: timeZone }).plus({ months: policy.minNoticeMonths });
    if (start < earliest) {
      broken.push({ rule: 'min_notice', message: `announced ${DateTime.fromMillis(window.announcedAt, { zone: timeZone }).toISODate()}, so it may start ${earliest.toISO({ suppressMilliseconds: true })} at the earliest (${policy.minNoticeMonths} calendar month(s) notice)` });
    }
  }
  if (policy.allowedSpan && !withinSpan(start, end, policy.allowedSpan)) {
    const span = policy.allowedSpan;
    broken.push({ rule: 'allowed_span', message: `must lie between ${weekdayName(span.fromWeekday)} ${span.fromTime} and ${weekdayName(span.toWeekday)} ${span.toTime} (${timeZone})` });
  }
  if (broken.length === 0) return { verdict: 'accepted' };
  return policy.emergencyAllowed ? { verdict: 'emergency', broken } : { verdict: 'refused', broken };
}

/** Whether [start, end] lies within one occurrence of the weekly span, in local time. */
function withinSpan(start: DateTime, end: DateTime, span: NonNullable<WindowPolicy['allowedSpan']>): boolean {
  const [fromHour, fromMinute] = span.fromTime.split(':').map(Number) as [number, number];
  const [toHour, toMinute] = span.toTime.split(':').map(Number) as [number, number];
  // the latest span opening at or before the window's start
  let opening = start.set({ hour: fromHour, minute: fromMinute, second: 0, millisecond: 0 });
  opening = opening.minus({ days: (opening.weekday - span.fromWeekday + 7) % 7 });
  if (opening > start) opening = opening.minus({ weeks: 1 });
  let closing = opening.set({ hour: toHour, minute: toMinute }).plus({ days: (span.toWeekday - span.fromWeekday + 7) % 7 });
  if (closing <= opening) closing = closing.plus({ weeks: 1 });
  return start >= opening && end <= closing;
}

function weekdayName(weekday: number): string {
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][weekday - 1] ?? `day ${weekday}`;
}
