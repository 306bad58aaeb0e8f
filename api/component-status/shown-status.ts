/**
 * The status a page shows for a component: the worse of what the probes
 * measure and what an operator declared (in an incident update, or by hand),
 * and which of the two it is. Pure: no database, no clock.
 */

/** Statuspage's component statuses, which operators declare. */
export const IMPACTS = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type Impact = (typeof IMPACTS)[number];

/** Worse is higher: maintenance is announced work, worse than nothing but better than any fault. */
export const SEVERITY: Record<Impact, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

export type Declared = {
  status: Impact;
  source: 'incident' | 'manual';
  /** The incident that declared it (source incident). */
  incidentId: string | null;
  /** When a status set by hand ends by itself (source manual). */
  expiresAt: string | null;
};

/** `dependency`: a component it depends on is in trouble and says more than measured or declared (see applyDependencies). */
export type Shown = { status: Impact; by: 'measured' | 'declared' | 'dependency' };

/** The worse of the declared statuses of one component; on a tie the one set by hand, which is the more deliberate. */
export function worstDeclared(declared: readonly Declared[]): Declared | null {
  return declared.reduce<Declared | null>((worst, d) => (worst === null || SEVERITY[d.status] > SEVERITY[worst.status] || (SEVERITY[d.status] === SEVERITY[worst.status] && d.source === 'manual') ? d : worst), null);
}

/** Measured wins a tie: a declaration only shows when it says more than the probes do. */
export function shownStatus(measured: Impact, declared: Declared | null): Shown {
  if (declared && SEVERITY[declared.status] > SEVERITY[measured]) return { status: declared.status, by: 'declared' };
  return { status: measured, by: 'measured' };
}

/** The impact an incident declares for its components before an update says otherwise: A is an outage, the rest a degradation. */
export function defaultImpact(priority: 'A' | 'B' | 'C' | 'D'): Impact {
  return priority === 'A' ? 'major_outage' : 'degraded_performance';
}
