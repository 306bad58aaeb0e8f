import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';
import { addTakenToHours } from '../rollups/roll-up-hours.ts';

/** A component's share of the marks a round took. */
export type ClaimedMarks = {
  componentId: string;
  /** Its earliest mark: the timeline is rebuilt from here. */
  from: Date;
  /** Its earliest mark made by ingest, if any (new results from here on). */
  resultsFrom: Date | null;
  /** Its earliest mark with new results but no names for them: its hours are counted afresh from here. */
  recountFrom: Date | null;
  marks: number;
};

/**
 * The queue takes thousands of inserts and deletes a second, so between two
 * vacuums most of its rows are dead and its statistics say anything from one
 * row to a million. The claim's statements walk the primary key from the
 * oldest live mark on whatever those statistics say: a sequential scan read
 * every dead row (1.45 s a round after a minute at 3,000 results/s), and a
 * nested loop planned for a one-row queue ran for minutes once 400,000 marks
 * were waiting. Set for the claim only, local to the transaction.
 */
export const CLAIM_SCANS = { enable_seqscan: 'off', enable_bitmapscan: 'off' } as const;

/** The oldest `limit` marks: the first one's id and their components. */
export function oldestMarks(limit: number): SQL {
  return sql`select min(id) as first_id, to_jsonb(array_agg(distinct component_id)) as component_ids from (select id, component_id from evaluation_marks order by id limit ${limit}) oldest`;
}

/**
 * Deletes every mark of `componentIds` from `firstId` on that no other
 * process holds, adds the results they name to their hours in the same
 * statement, and returns what was taken per component.
 */
export function takeMarks(firstId: number, componentIds: readonly string[]): SQL {
  return sql`
    with taken as (
      delete from evaluation_marks where id = any(array(
        select id from evaluation_marks
        where id >= ${firstId} and component_id in (select jsonb_array_elements_text(${JSON.stringify(componentIds)}::jsonb))
        order by id for update skip locked
      )) returning component_id, from_at, with_results, new_started_at, new_ids
    ),
    ${addTakenToHours()}
    select component_id, min(from_at) as from_at, min(from_at) filter (where with_results) as results_from,
      min(from_at) filter (where with_results and new_ids is null) as recount_from, count(*) as marks
    from taken group by component_id`;
}

/**
 * Claims every mark of the components behind the `limit` oldest marks, inside
 * the caller's transaction: a component marked by a thousand batches of a
 * replayed backlog is rebuilt once, from the earliest, and its thousand marks
 * go in the same round. Marks held by another process are skipped, so any
 * number of evaluators share the queue; if the transaction rolls back, the
 * marks and the hours they added go back together.
 */
export async function claimMarks(tx: Database, limit: number): Promise<ClaimedMarks[]> {
  const restore = await useClaimScans(tx);
  // on an error the transaction rolls back, and the settings with it
  const claimed = await takeOldest(tx, limit);
  // an empty queue ends the round's transaction at once, and the settings with it: an idle round costs no third trip
  if (claimed.length > 0) await restore();
  return claimed;
}

/** Sets CLAIM_SCANS for the rest of the transaction; the function returned puts the settings back. */
export async function useClaimScans(tx: Database): Promise<() => Promise<void>> {
  const before = rowsOf<{ name: string; setting: string }>(
    await tx.execute(sql`select name, current_setting(name) as setting, set_config(name, value, true) from jsonb_each_text(${JSON.stringify(CLAIM_SCANS)}::jsonb) as s(name, value)`),
  );
  return async () => {
    await tx.execute(sql`select set_config(name, setting, true) from jsonb_to_recordset(${JSON.stringify(before)}::jsonb) as s(name text, setting text)`);
  };
}

async function takeOldest(tx: Database, limit: number): Promise<ClaimedMarks[]> {
  const [oldest] = rowsOf<{ first_id: number | string | null; component_ids: string[] | string | null }>(await tx.execute(oldestMarks(limit)));
  if (oldest?.first_id == null || oldest.component_ids == null) return [];
  const componentIds = typeof oldest.component_ids === 'string' ? (JSON.parse(oldest.component_ids) as string[]) : oldest.component_ids;
  const rows = rowsOf<{ component_id: string; from_at: Date | string; results_from: Date | string | null; recount_from: Date | string | null; marks: number | string }>(
    await tx.execute(takeMarks(Number(oldest.first_id), componentIds)),
  );
  return rows.map((r) => ({
    componentId: r.component_id,
    from: new Date(r.from_at),
    resultsFrom: r.results_from === null ? null : new Date(r.results_from),
    recountFrom: r.recount_from === null ? null : new Date(r.recount_from),
    marks: Number(r.marks),
  }));
}
