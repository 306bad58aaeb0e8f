import { and, gt, isNull, lt, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { loadStateSpans } from '../public/load-state-spans.ts';
import type { Exclusion, ExclusionReason, Interval, ServiceWindow, StateInterval } from '../sla/index.ts';

export type ComponentInputs = {
  states: StateInterval[];
  windows: (ServiceWindow & { title: unknown })[];
  exclusions: (Exclusion & { note: string; author: string; recordedAt: string })[];
};

/**
 * Everything the engine needs for some components over an interval, from the
 * stored state intervals (never the raw results), windows and exclusions. Three
 * queries whatever the number of components.
 */
export async function loadInputs(db: Database, args: { componentIds: readonly string[]; span: Interval; now: Date }): Promise<Map<string, ComponentInputs>> {
  const { componentIds, span } = args;
  const now = args.now.getTime();
  const inputs = new Map<string, ComponentInputs>(componentIds.map((id) => [id, { states: [], windows: [], exclusions: [] }]));
  if (componentIds.length === 0) return inputs;
  const from = new Date(span.start);
  const to = new Date(span.end);
  for (const row of await loadStateSpans(db, { componentIds, from, to })) {
    inputs.get(row.componentId)!.states.push({
      state: row.state,
      start: Math.max(row.startMs, span.start),
      // an open interval lasts until now: the future is not measured
      end: Math.min(row.endMs ?? now, span.end),
    });
  }
  const w = tables.serviceWindows;
  const windows = await db
    .select()
    .from(w)
    .where(and(isNull(w.cancelledAt), lt(w.plannedStart, to), sql`coalesce(${w.actualEnd}, ${w.plannedEnd}) > ${from.toISOString()}::timestamptz`, sql`${w.componentIds} && ${toPgArray(componentIds)}::text[]`));
  for (const row of windows) {
    for (const id of row.componentIds) {
      // a window still running past its planned end (extended, not closed) overruns until now
      const runningLate = !row.actualEnd && row.actualStart && row.plannedEnd.getTime() < now ? Math.min(now, row.extendedUntil?.getTime() ?? now) : null;
      inputs.get(id)?.windows.push({ id: row.id, plannedStart: row.plannedStart.getTime(), plannedEnd: row.plannedEnd.getTime(), actualEnd: row.actualEnd?.getTime() ?? runningLate, emergency: row.emergency, title: row.title });
    }
  }
  const x = tables.exclusions;
  const excluded = await db
    .select()
    .from(x)
    .where(and(isNull(x.revokedAt), lt(x.startAt, to), gt(x.endAt, from), sql`${x.componentIds} && ${toPgArray(componentIds)}::text[]`));
  for (const row of excluded) {
    for (const id of row.componentIds) {
      inputs.get(id)?.exclusions.push({ id: row.id, start: row.startAt.getTime(), end: row.endAt.getTime(), reason: row.reason as ExclusionReason, note: row.note, author: row.author, recordedAt: row.recordedAt.toISOString() });
    }
  }
  return inputs;
}

/** A PostgreSQL array literal of plain ids (ids match [a-z0-9-], so nothing needs quoting). */
function toPgArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
