import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { judgeRegionHealth, type RegionHealth } from '../evaluate/judge-region-health.ts';
import { freshForMs } from '../evaluate/rebuild-timeline.ts';

/** Health of every live probe region at `now`. */
export async function loadRegionHealth(db: Database, now: Date): Promise<RegionHealth[]> {
  const regions = await db.select({ id: tables.regions.id }).from(tables.regions).where(isNull(tables.regions.retiredAt)).orderBy(tables.regions.id);
  const l = tables.latestResults;
  const c = tables.checks;
  const rows = await db
    .select({ regionId: l.regionId, componentId: l.componentId, checkId: l.checkId, outcome: l.outcome, startedAt: l.startedAt, intervalSeconds: c.intervalSeconds, spec: c.spec })
    .from(l)
    .innerJoin(c, and(eq(c.componentId, l.componentId), eq(c.checkId, l.checkId)))
    .where(isNull(c.retiredAt));
  const latest = rows.map((r) => ({ ...r, freshForMs: freshForMs(r.intervalSeconds, Number((r.spec as { timeoutMs?: number }).timeoutMs ?? 10_000)) }));
  return judgeRegionHealth({ regionIds: regions.map((r) => r.id), latest, now });
}
