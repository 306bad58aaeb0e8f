import { DateTime } from 'luxon';
import type { Interval } from './interval-set.ts';

export type PeriodKind = 'month' | 'tertial' | 'year';

/** A reporting period in a time zone: `2026-03` (month), `2026-T1` (Jan–Apr), `2026` (year). */
export type Period = { kind: PeriodKind; key: string; interval: Interval; timeZone: string };

const KEY = { month: /^(\d{4})-(0[1-9]|1[0-2])$/, tertial: /^(\d{4})-T([1-3])$/, year: /^(\d{4})$/ } as const;

/** Periods parsed before, by key and zone: a report on 1,000 components asks for the same month a thousand times, and the zone arithmetic is the dear part. */
const parsed = new Map<string, Readonly<Period> | undefined>();
const PARSED_KEPT = 1_000;

/** Parses a period key; undefined when it is none of `YYYY-MM`, `YYYY-Tn`, `YYYY`. The period is frozen: it is shared by every caller. */
export function parsePeriod(key: string, timeZone: string): Period | undefined {
  const cacheKey = `${key} ${timeZone}`;
  if (parsed.has(cacheKey)) return parsed.get(cacheKey);
  const period = parseUncached(key, timeZone);
  if (period) {
    Object.freeze(period.interval);
    Object.freeze(period);
  }
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(cacheKey, period);
  return period;
}

function parseUncached(key: string, timeZone: string): Period | undefined {
  const month = KEY.month.exec(key);
  if (month) return build('month', key, Number(month[1]), Number(month[2]), 1, timeZone);
  const tertial = KEY.tertial.exec(key);
  if (tertial) return build('tertial', key, Number(tertial[1]), (Number(tertial[2]) - 1) * 4 + 1, 4, timeZone);
  const year = KEY.year.exec(key);
  if (year) return build('year', key, Number(year[1]), 1, 12, timeZone);
  return undefined;
}

function build(kind: PeriodKind, key: string, year: number, month: number, months: number, timeZone: string): Period {
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone: timeZone });
  return { kind, key, timeZone, interval: { start: start.toMillis(), end: start.plus({ months }).toMillis() } };
}

/** The months of a period, as month periods. */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  for (let t = DateTime.fromMillis(period.interval.start, { zone: period.timeZone }); t.toMillis() < period.interval.end; t = t.plus({ months: 1 })) {
    months.push(parsePeriod(t.toFormat('yyyy-MM'), period.timeZone)!);
  }
  return months;
}

/** The month period containing `at`. */
export function monthOf(at: Date, timeZone: string): Period {
  return parsePeriod(DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM'), timeZone)!;
}
