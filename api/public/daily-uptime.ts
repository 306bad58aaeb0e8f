import { DateTime } from 'luxon';
import type { ComponentState } from '../evaluate/evaluate-quorum.ts';

/** A stretch of one state, in ms since the epoch; an open one (`endMs` null) lasts until now. */
export type StateSpan = { state: ComponentState; startMs: number; endMs: number | null };

export type DayUptime = {
  /** Local calendar date in the page's time zone, `YYYY-MM-DD`. */
  date: string;
  /** (up + degraded) ÷ measured time; null when nothing was measured that day. */
  uptimeRatio: number | null;
  upSeconds: number;
  downSeconds: number;
  degradedSeconds: number;
  unknownSeconds: number;
};

/** The local days of a page: dates and their [fromMs, toMs) bounds, the last cut at `now`. */
export type DayGrid = { dates: string[]; fromMs: number[]; toMs: number[] };

/**
 * The `days` local days ending with today in `timeZone`. Days follow the
 * zone's calendar, so DST days have 23 or 25 hours. Zone arithmetic is the
 * dear part, so a page computes its grid once and shares it by all components.
 */
export function dayGrid(args: { days: number; timeZone: string; now: Date }): DayGrid {
  const today = DateTime.fromJSDate(args.now, { zone: args.timeZone }).startOf('day');
  const nowMs = args.now.getTime();
  const grid: DayGrid = { dates: [], fromMs: [], toMs: [] };
  for (let offset = args.days - 1; offset >= 0; offset--) {
    const dayStart = today.minus({ days: offset });
    grid.dates.push(dayStart.toISODate() ?? '');
    grid.fromMs.push(dayStart.toMillis());
    grid.toMs.push(Math.min(dayStart.plus({ days: 1 }).toMillis(), nowMs));
  }
  return grid;
}

/** Per local day of `grid`, the time spent in each state; spans may come in any order. */
export function sumDays(spans: readonly StateSpan[], grid: DayGrid, nowMs: number): DayUptime[] {
  const n = grid.dates.length;
  const seconds = { up: new Float64Array(n), degraded: new Float64Array(n), down: new Float64Array(n), unknown: new Float64Array(n) };
  for (const span of spans) {
    const spanStart = span.startMs;
    const spanEnd = span.endMs ?? nowMs;
    // only the days the span touches: cost grows with spans + days, not spans × days
    for (let i = firstDayEndingAfter(grid, spanStart); i < n && grid.fromMs[i]! < spanEnd; i++) {
      const start = Math.max(spanStart, grid.fromMs[i]!);
      const end = Math.min(spanEnd, grid.toMs[i]!);
      if (end > start) seconds[span.state][i]! += (end - start) / 1000;
    }
  }
  return grid.dates.map((date, i) => {
    const up = seconds.up[i]!;
    const degraded = seconds.degraded[i]!;
    const down = seconds.down[i]!;
    const measured = up + degraded + down;
    return { date, uptimeRatio: measured > 0 ? (up + degraded) / measured : null, upSeconds: up, downSeconds: down, degradedSeconds: degraded, unknownSeconds: seconds.unknown[i]! };
  });
}

function firstDayEndingAfter(grid: DayGrid, ms: number): number {
  let low = 0;
  let high = grid.toMs.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (grid.toMs[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Per local day, for the `days` days ending with today in `timeZone`, the
 * time spent in each state; the current day counts up to `now` only.
 */
export function computeDailyUptime(args: { spans: readonly StateSpan[]; days: number; timeZone: string; now: Date }): DayUptime[] {
  return sumDays(args.spans, dayGrid(args), args.now.getTime());
}
