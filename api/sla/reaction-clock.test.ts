import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CoverageSpec } from './coverage.ts';
import { coveredTimeBetween, deadlineInCoveredTime } from './reaction-clock.ts';

const CPH = 'Europe/Copenhagen';
const at = (iso: string) => DateTime.fromISO(iso, { zone: CPH }).toMillis();
const local = (ms: number | undefined) => (ms === undefined ? undefined : DateTime.fromMillis(ms, { zone: CPH }).toFormat("ccc yyyy-MM-dd HH:mm"));
const schoolDays: CoverageSpec = { kind: 'business-hours', weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '16:00', calendar: { holidays: { country: 'DK' }, closures: [{ name: 'Vinterferie', from: '2026-02-09', to: '2026-02-13' }] } };

describe('deadlineInCoveredTime', () => {
  it.each([
    { name: 'a priority-A fault (15 min) on Friday evening is due Monday 08:15', start: '2026-01-16T17:00', minutes: 15, due: 'Mon 2026-01-19 08:15' },
    { name: 'within covered hours it simply adds', start: '2026-01-14T10:00', minutes: 60, due: 'Wed 2026-01-14 11:00' },
    { name: 'it carries over the end of the day', start: '2026-01-14T15:30', minutes: 60, due: 'Thu 2026-01-15 08:30' },
    { name: 'it skips a school holiday week', start: '2026-02-06T15:50', minutes: 30, due: 'Mon 2026-02-16 08:20' },
    { name: 'it skips Easter (Skærtorsdag to Anden påskedag)', start: '2026-04-01T15:00', minutes: 120, due: 'Tue 2026-04-07 09:00' },
    { name: 'a 6-hour clock spans days', start: '2026-01-14T13:00', minutes: 360, due: 'Thu 2026-01-15 11:00' },
  ])('$name', ({ start, minutes, due }) => {
    expect(local(deadlineInCoveredTime({ startedAt: at(start), durationMinutes: minutes, coverage: schoolDays, timeZone: CPH }))).toBe(due);
  });

  it('runs around the clock under 24/7 coverage, across the DST change', () => {
    // 29 March 2026 02:00 does not exist in Copenhagen: 01:30 + 60 min is 03:30 local
    expect(local(deadlineInCoveredTime({ startedAt: at('2026-03-29T01:30'), durationMinutes: 60, coverage: { kind: 'always' }, timeZone: CPH }))).toBe('Sun 2026-03-29 03:30');
  });

  it('measures how much of a clock has run', () => {
    expect(coveredTimeBetween({ from: at('2026-01-16T15:00'), to: at('2026-01-19T09:00'), coverage: schoolDays, timeZone: CPH }) / 60_000).toBe(120);
  });
});
