/** How a probe region is doing, judged from the latest result of each check it runs. */
export type RegionHealth = {
  regionId: string;
  /**
   * `healthy`; `unhealthy`: every fresh result of the region fails while other
   * regions see some of the same checks up (the probe's own network, not the
   * services); `silent`: no fresh result; `never`: no result at all.
   */
  status: 'healthy' | 'unhealthy' | 'silent' | 'never';
  freshResults: number;
  failingResults: number;
  lastResultAt: Date | null;
};

export type LatestResultRow = { regionId: string; componentId: string; checkId: string; outcome: 'up' | 'degraded' | 'down' | 'unknown'; startedAt: Date; freshForMs: number };

/** Pure: region health at `now` from the latest result per (component, check, region). */
export function judgeRegionHealth(args: { regionIds: readonly string[]; latest: readonly LatestResultRow[]; now: Date }): RegionHealth[] {
  const nowMs = args.now.getTime();
  const fresh = args.latest.filter((r) => nowMs - r.startedAt.getTime() < r.freshForMs);
  const upElsewhere = (row: LatestResultRow) =>
    fresh.some((other) => other.regionId !== row.regionId && other.componentId === row.componentId && other.checkId === row.checkId && (other.outcome === 'up' || other.outcome === 'degraded'));
  return args.regionIds.map((regionId) => {
    const all = args.latest.filter((r) => r.regionId === regionId);
    const own = fresh.filter((r) => r.regionId === regionId);
    const failing = own.filter((r) => r.outcome === 'down');
    const lastResultAt = all.reduce<Date | null>((max, r) => (max === null || r.startedAt > max ? r.startedAt : max), null);
    const status: RegionHealth['status'] =
      all.length === 0 ? 'never' : own.length === 0 ? 'silent' : failing.length === own.length && failing.some(upElsewhere) ? 'unhealthy' : 'healthy';
    return { regionId, status, freshResults: own.length, failingResults: failing.length, lastResultAt };
  });
}
