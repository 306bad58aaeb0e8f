import { evaluateQuorum, worstOutcome, type ComponentState, type RegionReading } from './evaluate-quorum.ts';

export type TimelineResult = { checkId: string; regionId: string; outcome: RegionReading['outcome'] | 'unknown'; startedAt: Date };
export type TimelineInterval = { state: ComponentState; startedAt: Date };

/**
 * A component's state over [from, until], as the list of changes, from its raw
 * results (any order). The state is re-decided at every result and at every
 * moment a result goes stale, so results that arrive late or out of order give
 * the same timeline as results that arrived on time.
 *
 * `results` must include those in [from − max freshness, until]; older ones
 * cannot be fresh at or after `from`. Instants before the component's first
 * result have no state (not even unknown): the timeline starts at its first
 * result.
 */
export function buildTimeline(args: {
  results: readonly TimelineResult[];
  /** Freshness per check id; results of other checks are ignored. */
  freshForMs: ReadonlyMap<string, number>;
  from: Date;
  until: Date;
  /** Regions that must have a fresh result for a verdict (see quorumMinimum); 1 when left out. */
  minFreshRegions?: number;
}): TimelineInterval[] {
  const results = args.results.filter((r) => args.freshForMs.has(r.checkId)).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  if (results.length === 0) return [];
  const fromMs = args.from.getTime();
  const untilMs = args.until.getTime();

  // every instant where the verdict may change: a result arriving, or a result going stale
  const instants = new Set<number>();
  for (const r of results) {
    const at = r.startedAt.getTime();
    const staleAt = at + args.freshForMs.get(r.checkId)!; // fresh during [at, at + fresh)
    if (at >= fromMs && at <= untilMs) instants.add(at);
    if (staleAt >= fromMs && staleAt <= untilMs) instants.add(staleAt);
  }
  const firstResultMs = results[0]!.startedAt.getTime();
  const start = Math.max(fromMs, firstResultMs);
  instants.add(start);
  const ordered = [...instants].filter((t) => t >= start).sort((a, b) => a - b);

  const latest = new Map<string, TimelineResult>(); // per check/region
  const intervals: TimelineInterval[] = [];
  let next = 0;
  for (const t of ordered) {
    while (next < results.length && results[next]!.startedAt.getTime() <= t) {
      const r = results[next++]!;
      latest.set(`${r.checkId}/${r.regionId}`, r);
    }
    const state = evaluateQuorum(freshReadings(latest.values(), args.freshForMs, t), new Date(t), { minFreshRegions: args.minFreshRegions ?? 1 }).state;
    if (intervals.at(-1)?.state !== state) intervals.push({ state, startedAt: new Date(t) });
  }
  return intervals;
}

/**
 * One reading per region at instant `t`: the worst of its fresh latest results,
 * each judged fresh by its own check's window. A region with no fresh result
 * gives no reading (it does not vote).
 */
export function freshReadings(latest: Iterable<TimelineResult>, freshForMs: ReadonlyMap<string, number>, t: number): RegionReading[] {
  const byRegion = new Map<string, RegionReading>();
  for (const r of latest) {
    const fresh = freshForMs.get(r.checkId);
    // a result that could not tell (no data, throttled) does not vote
    if (fresh === undefined || t - r.startedAt.getTime() >= fresh || r.outcome === 'unknown') continue;
    const prior = byRegion.get(r.regionId);
    byRegion.set(r.regionId, {
      regionId: r.regionId,
      outcome: prior ? worstOutcome(prior.outcome, r.outcome) : r.outcome,
      observedAt: prior && prior.observedAt > r.startedAt ? prior.observedAt : r.startedAt,
      freshForMs: Number.POSITIVE_INFINITY, // already judged fresh above
    });
  }
  return [...byRegion.values()];
}
