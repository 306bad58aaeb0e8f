/**
 * Where a failing component belongs: the pure rule behind automatic
 * incidents. No database, no clock: `now` and the facts are parameters.
 */

export type Failure = {
  componentId: string;
  groupId: string;
  pageId: string;
  state: 'down' | 'degraded';
  since: Date;
  /** An announced service window covers the component now: it gets no automatic incident. */
  sheltered: boolean;
  /** The failure began inside a service window that has since ended or overrun: it gets an incident of its own. */
  beganInWindow: boolean;
};

export type OpenIncidentFacts = {
  id: string;
  pageId: string;
  automatic: boolean;
  componentIds: readonly string[];
  /** The groups of its components. */
  groupIds: ReadonlySet<string>;
  detectedAt: Date;
  /** Opened for a failure that began inside a window: it takes no other component. */
  ownOnly: boolean;
};

export type Placement =
  | { kind: 'sheltered' }
  | { kind: 'covered'; incidentId: string }
  | { kind: 'join'; incidentId: string }
  | { kind: 'open' };

/**
 * A failure already in an open incident (automatic or an operator's) stays
 * there. Otherwise it joins an open automatic incident of its page that has
 * a component of the same group, or whose failure began within
 * `groupWithinMs` of this one: components that fail together share an
 * incident, unrelated failures minutes apart do not.
 */
export function placeFailure(failure: Failure, open: readonly OpenIncidentFacts[], args: { groupWithinMs: number }): Placement {
  if (failure.sheltered) return { kind: 'sheltered' };
  const covering = open.find((i) => i.componentIds.includes(failure.componentId));
  if (covering) return { kind: 'covered', incidentId: covering.id };
  if (failure.beganInWindow) return { kind: 'open' };
  const candidates = open.filter((i) => i.automatic && !i.ownOnly && i.pageId === failure.pageId);
  const sameGroup = candidates.find((i) => i.groupIds.has(failure.groupId));
  if (sameGroup) return { kind: 'join', incidentId: sameGroup.id };
  const together = candidates.find((i) => Math.abs(failure.since.getTime() - i.detectedAt.getTime()) <= args.groupWithinMs);
  return together ? { kind: 'join', incidentId: together.id } : { kind: 'open' };
}

/** The span a window keeps its components from automatic incidents: announced start to planned end, or earlier actual end; overrun is not sheltered. */
export function shelterSpan(window: { plannedStart: Date; plannedEnd: Date; actualEnd: Date | null }): { start: number; end: number } {
  const end = Math.min(window.plannedEnd.getTime(), window.actualEnd?.getTime() ?? Infinity);
  return { start: window.plannedStart.getTime(), end };
}
