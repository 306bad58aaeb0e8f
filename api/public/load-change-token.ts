import { sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

/**
 * A short text that changes whenever what a public page shows changes:
 * a new state interval (a state change), a region's verdict or reason for
 * a check (not its every result), an incident or its update, a service
 * window made, started, extended, ended or cancelled, a component status set
 * or ended by hand, the config applied again (at start or a reload: pages and
 * components are rewritten then). Each part is one index
 * read or a scan of a small table (one row per component, check and region),
 * so it can be asked every second.
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
  const [[states], [verdicts], [incidents], [windows], [overrides], [config]] = await Promise.all([
    db.select({ last: sql<string>`coalesce(max(${s.id}), 0)::text` }).from(s),
    db
      .select({ sum: sql<string>`(count(*) || ':' || coalesce(sum(hashtext(${l.componentId} || '/' || ${l.checkId} || '/' || ${l.regionId} || '/' || ${l.outcome} || '/' || coalesce(${l.reason}, ''))), 0))` })
      .from(l),
    db.select({ count: sql<string>`(count(*) + coalesce(sum(${i.version}), 0))::text`, last: sql<string>`coalesce(max(${i.updatedAt})::text, '')` }).from(i),
    db
      .select({
        count: sql<string>`count(*)::text`,
        last: sql<string>`coalesce(greatest(max(${w.createdAt}), max(${w.cancelledAt}), max(${w.actualStart}), max(${w.actualEnd}), max(${w.extendedUntil}))::text, '')`,
        closed: sql<string>`(count(${w.cancelledAt}) + count(${w.actualStart}) + count(${w.actualEnd}) + count(${w.extendedUntil}))::text`,
      })
      .from(w),
    db.select({ count: sql<string>`(count(*) + count(${o.clearedAt}))::text` }).from(o),
    // syncConfig stamps every row it writes, so the latest stamp moves with each applied config
    db.select({ last: sql<string>`coalesce(greatest((select max(${p.updatedAt}) from ${p}), max(${c.updatedAt}))::text, '')` }).from(c),
  ]);
  return [states?.last, verdicts?.sum, incidents?.count, incidents?.last, windows?.count, windows?.last, windows?.closed, overrides?.count, config?.last].join('|');
}
