import { describe, expect, it } from 'vitest';
import { computeDailyUptime, dayGrid, sumDays, type StateSpan } from './daily-uptime.ts';

const span = (state: StateSpan['state'], start: string, end: string | null): StateSpan => ({
  state,
  startMs: Date.parse(start),
  endMs: end === null ? null : Date.parse(end),
});

describe('computeDailyUptime', () => {
  it('cuts days at local midnight and counts the current day up to now', () => {
    // Copenhagen is UTC+1 in November: local midnight is 23:00 UTC
    const days = computeDailyUptime({
      spans: [span('up', '2026-11-19T23:00:00Z', '2026-11-20T23:00:00Z'), span('down', '2026-11-20T23:00:00Z', '2026-11-21T01:00:00Z'), span('up', '2026-11-21T01:00:00Z', null)],
      days: 2,
      timeZone: 'Europe/Copenhagen',
      now: new Date('2026-11-21T05:00:00Z'),
    });
    expect(days.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-21']);
    expect(days[0]).toMatchObject({ uptimeRatio: 1, upSeconds: 86_400, downSeconds: 0 });
    // 21 Nov local: 00:00–02:00 down, 02:00–06:00 up (now)
    expect(days[1]).toMatchObject({ downSeconds: 7200, upSeconds: 14_400 });
    expect(days[1]!.uptimeRatio).toBeCloseTo(2 / 3, 10);
  });

  it('gives the spring DST day 23 hours and the autumn one 25', () => {
    const all = [span('up', '2026-03-01T00:00:00Z', '2026-11-01T00:00:00Z')];
    // 29 March 2026 local runs 2026-03-28T23:00Z – 2026-03-29T22:00Z; "now" is 30 min into 30 March
    const spring = computeDailyUptime({ spans: all, days: 2, timeZone: 'Europe/Oslo', now: new Date('2026-03-29T22:30:00Z') });
    expect(spring[0]).toMatchObject({ date: '2026-03-29', upSeconds: 23 * 3600 });
    expect(spring[1]).toMatchObject({ date: '2026-03-30', upSeconds: 1800 });
    const autumn = computeDailyUptime({ spans: all, days: 2, timeZone: 'Europe/Oslo', now: new Date('2026-10-26T00:00:00Z') });
    expect(autumn[0]).toMatchObject({ date: '2026-10-25', upSeconds: 25 * 3600 });
  });

  it('reports null, not 100 %, for a day without measurements, and keeps unknown time out of the ratio', () => {
    const days = computeDailyUptime({
      spans: [span('unknown', '2026-11-20T00:00:00Z', '2026-11-20T12:00:00Z'), span('degraded', '2026-11-20T12:00:00Z', null)],
      days: 2,
      timeZone: 'UTC',
      now: new Date('2026-11-20T23:59:59Z'),
    });
    expect(days[0]).toMatchObject({ date: '2026-11-19', uptimeRatio: null });
    expect(days[1]).toMatchObject({ date: '2026-11-20', uptimeRatio: 1, degradedSeconds: 43_199, unknownSeconds: 43_200 });
  });

  it('counts a span only on the days it touches, in any order, the same as checking every day', () => {
    const spans = [
      span('down', '2026-10-24T10:00:00Z', '2026-10-26T03:00:00Z'), // across the autumn DST change
      span('up', '2026-01-01T00:00:00Z', '2026-10-24T10:00:00Z'), // starts before the grid
      span('degraded', '2026-10-26T03:00:00Z', null),
    ];
    const now = new Date('2026-10-27T08:00:00Z');
    const grid = dayGrid({ days: 5, timeZone: 'Europe/Copenhagen', now });
    const naive = grid.dates.map((date, i) => {
      const seconds = { up: 0, degraded: 0, down: 0, unknown: 0 };
      for (const s of spans) {
        const overlap = Math.min(s.endMs ?? now.getTime(), grid.toMs[i]!) - Math.max(s.startMs, grid.fromMs[i]!);
        if (overlap > 0) seconds[s.state] += overlap / 1000;
      }
      return { date, upSeconds: seconds.up, downSeconds: seconds.down, degradedSeconds: seconds.degraded };
    });
    const days = sumDays(spans, grid, now.getTime());
    expect(days.map(({ date, upSeconds, downSeconds, degradedSeconds }) => ({ date, upSeconds, downSeconds, degradedSeconds }))).toEqual(naive);
    expect(days.find((d) => d.date === '2026-10-25')).toMatchObject({ downSeconds: 25 * 3600 });
  });
});
