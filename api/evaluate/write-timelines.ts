import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.ts';
import { recordAlert, stateChangeEvent } from '../notifications/record-alert.ts';
import type { TimelineInterval } from './build-timeline.ts';

export type StoredInterval = { id: number; componentId: string; state: string; startedAt: Date; endedAt: Date | null };
type Row = { state: string; startedAt: Date; endedAt: Date | null };

/** What one component's timeline needs written: intervals to delete, one to end elsewhere, new ones, and the alert of its change. */
export type TimelineWrite = {
  componentId: string;
  deleteIds: number[];
  end?: { id: number; endedAt: Date | null };
  add: Row[];
  alert?: { event: ReturnType<typeof stateChangeEvent> & object; from: string | null; to: string; since: Date };
};

/**
 * What makes the stored intervals from `from` on equal `wanted`: the interval
 * spanning `from` is cut there, or continued when the state did not change.
 * Undefined when they already agree. Pure.
 */
export function planTimelineWrite(args: { componentId: string; from: Date; wanted: readonly TimelineInterval[]; stored: readonly StoredInterval[] }): TimelineWrite | undefined {
  const { wanted, from } = args;
  if (wanted.length === 0) return undefined;
  const before = args.stored.find((i) => i.startedAt < from);
  const continued = before !== undefined && before.state === wanted[0]!.state;
  const added: Row[] = (continued ? wanted.slice(1) : wanted).map((interval, i, all) => ({
    state: interval.state,
    startedAt: interval.startedAt,
    endedAt: all[i + 1]?.startedAt ?? null,
  }));
  const beforeEnd = continued ? (added[0]?.startedAt ?? null) : from;
  const after = args.stored.filter((i) => i.startedAt >= from);
  if ((!before || sameInstant(before.endedAt, beforeEnd)) && sameRows(after, added)) return undefined;
  // the operators' alert commits with the state it reports: one per change of the component, however many checks failed
  const previous = args.stored.find((i) => i.endedAt === null)?.state ?? null;
  const latest = wanted[wanted.length - 1]!;
  const event = stateChangeEvent(previous, latest.state);
  return {
    componentId: args.componentId,
    deleteIds: after.map((i) => i.id),
    ...(before ? { end: { id: before.id, endedAt: beforeEnd } } : {}),
    add: added,
    ...(event ? { alert: { event, from: previous, to: latest.state, since: latest.startedAt } } : {}),
  };
}

/**
 * Applies the writes of a round's components in three statements, whatever
 * their number (each a round trip; one per component made the evaluator's
 * round a few thousand of them): deletes, then the ended intervals, then the
 * new ones, which keeps at most one open interval per component at each step.
 * Alerts follow, one per changed component.
 */
export async function applyTimelineWrites(db: Database, writes: readonly TimelineWrite[]): Promise<void> {
  if (writes.length === 0) return;
  // the rows travel as one JSON parameter: a statement built value by value cost the evaluator more than its reads
  const deleteIds = writes.flatMap((w) => w.deleteIds);
  if (deleteIds.length > 0) await db.execute(sql`delete from state_intervals where id in (select jsonb_array_elements_text(${JSON.stringify(deleteIds)}::jsonb)::int)`);
  const ends = writes.flatMap((w) => (w.end ? [{ id: w.end.id, ended_at: w.end.endedAt?.toISOString() ?? null }] : []));
  if (ends.length > 0) {
    await db.execute(sql`
      update state_intervals s set ended_at = e.ended_at
      from jsonb_to_recordset(${JSON.stringify(ends)}::jsonb) as e(id bigint, ended_at timestamptz)
      where s.id = e.id`);
  }
  const added = writes.flatMap((w) => w.add.map((row) => ({ component_id: w.componentId, state: row.state, started_at: row.startedAt.toISOString(), ended_at: row.endedAt?.toISOString() ?? null })));
  if (added.length > 0) {
    await db.execute(sql`
      insert into state_intervals (component_id, state, started_at, ended_at)
      select component_id, state, started_at, ended_at from jsonb_to_recordset(${JSON.stringify(added)}::jsonb) as a(component_id text, state text, started_at timestamptz, ended_at timestamptz)`);
  }
  for (const w of writes) {
    if (!w.alert) continue;
    const { event, from, to, since } = w.alert;
    await recordAlert(db, { ...event, componentIds: [w.componentId], detail: { from, to, since: since.toISOString() }, now: since });
  }
}

function sameRows(stored: readonly Row[], wanted: readonly Row[]): boolean {
  return (
    stored.length === wanted.length &&
    stored.every((row, i) => row.state === wanted[i]!.state && sameInstant(row.startedAt, wanted[i]!.startedAt) && sameInstant(row.endedAt, wanted[i]!.endedAt))
  );
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}
