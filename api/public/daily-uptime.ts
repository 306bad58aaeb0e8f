import { DateTime } from 'luxon';
import type { ComponentState } from '../evaluate/evaluate-quorum.ts';

export type StateSpan = { state: ComponentState; startedAt: Date; endedAt: Date | null };

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

/**
 * Per local day, for the `days` days ending with today in `timeZone`, the
 * time spent in each state. Days follow the zone's calendar, so DST days have
 * 23 or 25 hours; the current day counts up to `now` only.
 */
export function computeDailyUptime(args: { spans: readonly StateSpan[]; days: number; timeZone: string; now: Date }): DayUptime[] {
  const today = DateTime.fromJSDate(args.now, { zone: args.timeZone }).startOf('day');
  const nowMs = args.now.getTime();
  const result: DayUptime[] = [];
  for (let offset = args.days - 1; offset >= 0; offset--) {
    const dayStart = today.minus({ days: offset });
    const fromMs = dayStart.toMillis();
    const toMs = Math.min(dayStart.plus({ days: 1 }).toMillis(), nowMs);
    const seconds = { up: 0, degraded: 0, down: 0, unknown: 0 };
    for (const span of args.spans) {
      const start = Math.max(span.startedAt.getTime(), fromMs);
      const end = Math.min(span.endedAt?.getTime() ?? nowMs, toMs);
      if (end > start) seconds[span.state] += (end - start) / 1000;
    }
    const measured = seconds.up + seconds.degraded + seconds.down;
    result.push({
      date: dayStart.toISODate() ?? '',
      uptimeRatio: measured > 0 ? (seconds.up + seconds.degraded) / measured : null,
      upSeconds: seconds.up,
      downSeconds: seconds.down,
      degradedSeconds: seconds.degraded,
      unknownSeconds: seconds.unknown,
    });
  }
  return result;
}
