import { coveredIntervals, type CoverageSpec } from './coverage.ts';

const DAY_MS = 86_400_000;
/** How far ahead to look for covered time before giving up (a year covers any school holiday). */
const HORIZON_MS = 400 * DAY_MS;

/**
 * The deadline of a clock that runs `durationMinutes` of covered time from
 * `startedAt`: a fault registered outside covered hours starts its clock at
 * the start of the next covered period (docs/sla-rules.md). Undefined when no
 * covered time comes within a year.
 *
 * @example a 15-minute clock started Friday 17:00 under 08–16 weekdays ends Monday 08:15
 */
export function deadlineInCoveredTime(args: { startedAt: number; durationMinutes: number; coverage: CoverageSpec; timeZone: string }): number | undefined {
  let left = args.durationMinutes * 60_000;
  if (left === 0) return nextCoveredInstant(args);
  for (let from = args.startedAt; from < args.startedAt + HORIZON_MS; from += 30 * DAY_MS) {
    const chunk = coveredIntervals({ coverage: args.coverage, timeZone: args.timeZone, period: { start: from, end: from + 30 * DAY_MS } }).intervals;
    for (const interval of chunk) {
      const length = interval.end - interval.start;
      if (length >= left) return interval.start + left;
      left -= length;
    }
  }
  return undefined;
}

/** Covered time (ms) between two instants: how much of a clock has run. */
export function coveredTimeBetween(args: { from: number; to: number; coverage: CoverageSpec; timeZone: string }): number {
  if (args.to <= args.from) return 0;
  return coveredIntervals({ coverage: args.coverage, timeZone: args.timeZone, period: { start: args.from, end: args.to } }).intervals.reduce((sum, i) => sum + i.end - i.start, 0);
}

function nextCoveredInstant(args: { startedAt: number; coverage: CoverageSpec; timeZone: string }): number | undefined {
  const [first] = coveredIntervals({ coverage: args.coverage, timeZone: args.timeZone, period: { start: args.startedAt, end: args.startedAt + HORIZON_MS } }).intervals;
  return first?.start;
}
