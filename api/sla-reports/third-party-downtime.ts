import { and, isNull } from 'drizzle-orm';
import { inList, tables, type Database } from '../../db/index.ts';
import { attributeDowntime, coveredIntervals, parsePeriod, type Interval } from '../sla/index.ts';
import type { EngineProfile } from './engine-profile.ts';
import { loadInputs } from './load-inputs.ts';

/** A component's downtime in a period that fell while a component it depends on was in trouble. */
export type ThirdPartyDowntime = {
  /** Seconds of downtime attributed to third parties (already inside `figures.downSeconds`). */
  downSeconds: number;
  /** Each stretch, with the components depended on that were in trouble then; an operator may turn one into an exclusion. */
  spans: { start: string; end: string; dependencyIds: string[] }[];
};

/**
 * The attributed downtime of each component that declares dependsOn, over a
 * period in its profile's coverage, read from the stored states as they are
 * now. It is an aid for the operator, not part of the frozen statements:
 * what counts against the provider stays `downSeconds` until an exclusion
 * says otherwise.
 */
export async function loadThirdPartyDowntime(db: Database, args: { members: readonly { id: string; profile: EngineProfile }[]; periodKey?: string; now: Date; span?: Interval }): Promise<Map<string, ThirdPartyDowntime>> {
  const c = tables.components;
  const rows = args.members.length
    ? await db.select({ id: c.id, dependsOn: c.dependsOn }).from(c).where(and(inList(c.id, args.members.map((m) => m.id)), isNull(c.retiredAt)))
    : [];
  const memberOf = new Map(args.members.map((m) => [m.id, m]));
  const dependents = rows.flatMap((r) => {
    const member = memberOf.get(r.id)!;
    // a span given is the period itself (an operator's stretch may cross a month or a year)
    const period = args.span ?? parsePeriod(args.periodKey ?? '', member.profile.timeZone)?.interval;
    return r.dependsOn.length > 0 && period ? [{ ...r, profile: member.profile, period }] : [];
  });
  const result = new Map<string, ThirdPartyDowntime>();
  if (dependents.length === 0) return result;
  // one read for every dependent and dependency over the widest period (profiles' time zones differ); each is cut to its own below
  const span = { start: Math.min(...dependents.map((d) => d.period.start)), end: Math.max(...dependents.map((d) => d.period.end)) };
  const ids = [...new Set(dependents.flatMap((d) => [d.id, ...d.dependsOn.map((x) => x.componentId)]))];
  const inputs = await loadInputs(db, { componentIds: ids, span, now: args.now });
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const dependent of dependents) {
    const own = inputs.get(dependent.id)!;
    const attributed = attributeDowntime({
      states: own.states,
      covered: coveredIntervals({ coverage: dependent.profile.coverage, timeZone: dependent.profile.timeZone, period: dependent.period }).intervals,
      windows: own.windows,
      exclusions: own.exclusions,
      period: dependent.period,
      dependencies: dependent.dependsOn.map((d) => ({ componentId: d.componentId, states: inputs.get(d.componentId)?.states ?? [] })),
    });
    result.set(dependent.id, { downSeconds: attributed.seconds, spans: attributed.spans.map((s) => ({ start: iso(s.start), end: iso(s.end), dependencyIds: s.dependencyIds })) });
  }
  return result;
}
