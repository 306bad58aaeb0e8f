import { sql } from 'drizzle-orm';
import { rowsOf, tables, type Database } from '../../db/index.ts';

/**
 * A short text that changes whenever what a public page shows changes:
 * a new state interval (a state change), a region's verdict or reason for
 * a check (not its every result), an incident or its update, a service
 * window made, started, extended, ended or cancelled, a component status set
 * or ended by hand, a third party's notice new, reworded or ended (not its
 * every sighting: "last read" catches up with the maximum age), the config applied again (at start or a reload: pages and
 * components are rewritten then). Each part is one index
 * read or a scan of a small table (one row per component, check and region),
 * and all of them go in one statement (one round trip; it is asked every
 * second, on the thread that serves the pages when the database is embedded).
 * Times passing (a window's planned start) are caught by the snapshots'
 * maximum age instead.
 */
export async function loadChangeToken(db: Database): Promise<string> {
  const s = tables.stateIntervals;
  const i = tables.incidents;
  const w = tables.serviceWindows;
  const l = tables.latestResults;
  const o = tables.componentStatusOverrides;
  const p = tables.statusPages;
  const c = tables.components;
  const n = tables.thirdPartyNotices;
  const [row] = rowsOf<{ token: string }>(
    await db.execute(sql`select concat_ws('|',
      (select coalesce(max(${s.id}), 0)::text from ${s}),
      (select count(*) || ':' || coalesce(sum(hashtext(${l.componentId} || '/' || ${l.checkId} || '/' || ${l.regionId} || '/' || ${l.outcome} || '/' || coalesce(${l.reason}, ''))), 0) from ${l}),
      (select (count(*) + coalesce(sum(${i.version}), 0))::text || '|' || coalesce(max(${i.updatedAt})::text, '') from ${i}),
      (select count(*)::text
          || '|' || coalesce(greatest(max(${w.createdAt}), max(${w.cancelledAt}), max(${w.actualStart}), max(${w.actualEnd}), max(${w.extendedUntil}))::text, '')
          || '|' || (count(${w.cancelledAt}) + count(${w.actualStart}) + count(${w.actualEnd}) + count(${w.extendedUntil}))::text
        from ${w}),
      (select (count(*) + count(${o.clearedAt}))::text from ${o}),
      (select count(*) || ':' || count(${n.endedAt}) || ':' || coalesce(sum(hashtext(${n.title} || '/' || coalesce(${n.body}, '') || '/' || ${n.impact} || '/' || coalesce(${n.endedAt}::text, ''))), 0) from ${n}),
      -- syncConfig stamps every row it writes, so the latest stamp moves with each applied config
      (select coalesce(greatest((select max(${p.updatedAt}) from ${p}), max(${c.updatedAt}))::text, '') from ${c})
    ) as token`),
  );
  return row?.token ?? '';
}
