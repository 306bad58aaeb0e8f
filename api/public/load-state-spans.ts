import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';
import type { ComponentState } from '../evaluate/evaluate-quorum.ts';

export type StoredSpan = { componentId: string; state: ComponentState; startMs: number; endMs: number | null };

/**
 * The state intervals of some components that overlap [from, to), oldest
 * first, with their times as whole milliseconds since the epoch. Pages and
 * reports read tens of thousands of these as history grows; numbers from
 * the database cost a fraction of timestamps parsed from text, which was
 * most of what 90 days of history added to a page's cost.
 */
export async function loadStateSpans(db: Database, args: { componentIds: readonly string[]; from: Date; to?: Date }): Promise<StoredSpan[]> {
  if (args.componentIds.length === 0) return [];
  const rows = rowsOf<{ component_id: string; state: ComponentState; start_ms: number | string; end_ms: number | string | null }>(
    await db.execute(sql`
      select component_id, state, floor(extract(epoch from started_at) * 1000)::float8 as start_ms, floor(extract(epoch from ended_at) * 1000)::float8 as end_ms
      from state_intervals
      where component_id in (select jsonb_array_elements_text(${JSON.stringify(args.componentIds)}::jsonb))
        and (ended_at is null or ended_at > ${args.from.toISOString()}::timestamptz)
        ${args.to ? sql`and started_at < ${args.to.toISOString()}::timestamptz` : sql``}
      order by started_at`),
  );
  return rows.map((r) => ({ componentId: r.component_id, state: r.state, startMs: Number(r.start_ms), endMs: r.end_ms === null ? null : Number(r.end_ms) }));
}
