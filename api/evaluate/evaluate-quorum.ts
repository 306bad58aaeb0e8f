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
 * The quorum rule of SLA-RULES.md: the state reported by more than half of the
 * regions whose latest result is fresh. States are ordered up < degraded < down;
 * `down` wins only with a strict majority of fresh regions, `degraded` when a
 * strict majority is at least degraded; otherwise `up`. So one failing region
 * out of two or three is never an outage.
 *
 * @example evaluateQuorum([{ regionId: 'a', outcome: 'down', … }, { regionId: 'b', outcome: 'up', … }], now).state === 'up'
 */
export function evaluateQuorum(readings: readonly RegionReading[], now: Date): QuorumVerdict {
  // fresh during the half-open [observedAt, observedAt + freshForMs)
  const fresh = readings.filter((r) => now.getTime() - r.observedAt.getTime() < r.freshForMs);
  if (fresh.length === 0) {
    const lastExpiry = Math.max(...readings.map((r) => r.observedAt.getTime() + r.freshForMs));
    return { state: 'unknown', freshRegions: 0, dissentingRegions: [], evidenceAt: readings.length ? new Date(lastExpiry) : undefined };
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

const SEVERITY = { up: 0, degraded: 1, down: 2 } as const;

/** The worse of two outcomes. */
export function worstOutcome(a: RegionReading['outcome'], b: RegionReading['outcome']): RegionReading['outcome'] {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}
