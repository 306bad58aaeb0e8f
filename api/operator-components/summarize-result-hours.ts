export type Outcome = 'up' | 'degraded' | 'down' | 'unknown';

/** One result as the hourly table needs it. */
export type ResultSample = { startedAt: Date; regionId: string; outcome: Outcome; reason: string | null; durationMs: number };

/** One hour of results: how many of each outcome, the median and slowest duration, and the reasons seen (most frequent first). */
export type ResultHour = { hourStart: string; results: number; counts: Record<Outcome, number>; medianMs: number | null; maxMs: number | null; reasons: { reason: string; count: number }[] };

const HOUR_MS = 3_600_000;

/**
 * The results of [from, to) in whole hours, newest first; an hour without
 * results is listed with zero (silence is worth seeing). Pure: no clock.
 * @example summarizeResultHours({ results: [], from: new Date('2026-01-01T00:00Z'), to: new Date('2026-01-01T02:00Z') }).length // 2
 */
export function summarizeResultHours(args: { results: readonly ResultSample[]; from: Date; to: Date }): ResultHour[] {
  const first = Math.floor(args.from.getTime() / HOUR_MS) * HOUR_MS;
  const hours: ResultHour[] = [];
  for (let start = first; start < args.to.getTime(); start += HOUR_MS) {
    const inHour = args.results.filter((r) => r.startedAt.getTime() >= Math.max(start, args.from.getTime()) && r.startedAt.getTime() < Math.min(start + HOUR_MS, args.to.getTime()));
    const counts: Record<Outcome, number> = { up: 0, degraded: 0, down: 0, unknown: 0 };
    const reasons = new Map<string, number>();
    for (const r of inHour) {
      counts[r.outcome] += 1;
      if (r.reason) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    }
    const durations = inHour.map((r) => r.durationMs).sort((a, b) => a - b);
    // the lower median for an even count, so the figure is one that was measured
    const medianMs = durations.length === 0 ? null : Math.round(durations[Math.floor((durations.length - 1) / 2)]!);
    hours.push({
      hourStart: new Date(start).toISOString(),
      results: inHour.length,
      counts,
      medianMs,
      maxMs: durations.length === 0 ? null : Math.round(durations.at(-1)!),
      reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    });
  }
  return hours.reverse();
}
