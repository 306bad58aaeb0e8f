/** A component's measured state. `unknown`: no region has a fresh result. */
export type ComponentState = 'up' | 'degraded' | 'down' | 'unknown';

export type RegionReading = {
  regionId: string;
  /** The worst outcome among this region's latest result of each check of the component. */
  outcome: 'up' | 'degraded' | 'down';
  /** When the region's oldest latest result started; a reading is only as fresh as its stalest check. */
  observedAt: Date;
  /** How long a result counts as fresh (a few check intervals plus the timeout). */
  freshForMs: number;
};

export type QuorumVerdict = {
  state: ComponentState;
  freshRegions: number;
  /** Regions that disagree with the verdict (a regional problem, not an outage). */
  dissentingRegions: string[];
  /**
   * When the evidence for this state arose: the newest reading that agrees
   * with it, or for `unknown` the moment the last reading went stale. A state
   * change is dated here, not at the moment of evaluation.
   */
  evidenceAt: Date | undefined;
};

/**
 * The quorum rule (docs/sla-rules.md): the state reported by more than half of the
 * regions whose latest result is fresh. States are ordered up < degraded < down;
 * `down` wins only with a strict majority of fresh regions, `degraded` when a
 * strict majority is at least degraded; otherwise `up`. So one failing region
 * out of two or three is never an outage.
 *
 * A verdict needs fresh readings from at least `minFreshRegions` regions
 * (default 1); with fewer the state is `unknown`. So when the regions that see
 * a fault fall silent one by one, the last one still answering does not
 * decide alone (see `quorumMinimum` for the configured minimum).
 *
 * @example evaluateQuorum([{ regionId: 'a', outcome: 'down', … }, { regionId: 'b', outcome: 'up', … }], now).state === 'up'
 */
export function evaluateQuorum(readings: readonly RegionReading[], now: Date, options: { minFreshRegions?: number } = {}): QuorumVerdict {
  // fresh during the half-open [observedAt, observedAt + freshForMs)
  const isFresh = (r: RegionReading) => now.getTime() - r.observedAt.getTime() < r.freshForMs;
  const fresh = readings.filter(isFresh);
  if (fresh.length === 0 || fresh.length < (options.minFreshRegions ?? 1)) {
    // unknown since the last reading went stale; with no stale reading, since the first fresh one
    const expiries = readings.filter((r) => !isFresh(r)).map((r) => r.observedAt.getTime() + r.freshForMs);
    const since = expiries.length > 0 ? Math.max(...expiries) : Math.min(...fresh.map((r) => r.observedAt.getTime()));
    return { state: 'unknown', freshRegions: fresh.length, dissentingRegions: [], evidenceAt: readings.length ? new Date(since) : undefined };
  }
  const down = fresh.filter((r) => r.outcome === 'down').length;
  const atLeastDegraded = fresh.filter((r) => r.outcome !== 'up').length;
  const majority = (count: number) => count * 2 > fresh.length;
  const state: ComponentState = majority(down) ? 'down' : majority(atLeastDegraded) ? 'degraded' : 'up';
  const agreeing = fresh.filter((r) => (state === 'degraded' ? r.outcome !== 'up' : r.outcome === state));
  return {
    state,
    freshRegions: fresh.length,
    dissentingRegions: fresh.filter((r) => r.outcome !== state).map((r) => r.regionId),
    evidenceAt: new Date(Math.max(...agreeing.map((r) => r.observedAt.getTime()))),
  };
}

/**
 * How many regions must have a fresh reading for a verdict: the configured
 * minimum, capped at the regions that run the component's checks (a larger
 * minimum could never be met); by default a strict majority of those regions
 * (1 of 1, 2 of 2, 2 of 3, 3 of 4, 3 of 5).
 *
 * @example quorumMinimum({ regions: 3 }) === 2
 */
export function quorumMinimum(args: { regions: number; configured?: number | null | undefined }): number {
  if (args.regions <= 0) return 1;
  if (args.configured !== undefined && args.configured !== null) return Math.max(1, Math.min(args.configured, args.regions));
  return Math.floor(args.regions / 2) + 1;
}

const SEVERITY = { up: 0, degraded: 1, down: 2 } as const;

/** The worse of two outcomes. */
export function worstOutcome(a: RegionReading['outcome'], b: RegionReading['outcome']): RegionReading['outcome'] {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}
