import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { CONTRACT_VERSION, type Assignment } from '../../probe/index.ts';
import { tables, type Database } from '../../db/index.ts';

/** The live checks a region runs; the revision changes whenever any of them changes. */
export async function loadAssignment(db: Database, regionId: string): Promise<Assignment> {
  const rows = await db
    .select()
    .from(tables.checks)
    .innerJoin(tables.components, eq(tables.components.id, tables.checks.componentId))
    .where(and(isNull(tables.checks.retiredAt), isNull(tables.components.retiredAt)));
  const checks = rows
    .filter((row) => row.checks.regions === null || row.checks.regions.includes(regionId))
    .map((row) => ({
      componentId: row.checks.componentId,
      checkId: row.checks.checkId,
      kind: row.checks.kind,
      intervalSeconds: row.checks.intervalSeconds,
      spec: row.checks.spec as Record<string, unknown>,
    }))
    .sort((a, b) => `${a.componentId}/${a.checkId}`.localeCompare(`${b.componentId}/${b.checkId}`));
  const revision = createHash('sha256').update(JSON.stringify(checks)).digest('hex').slice(0, 16);
  return { version: CONTRACT_VERSION, regionId, revision, checks };
}
