import { and, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { checkId, DEFAULT_RAW_RESULTS_DAYS, localize, type StatusvaktConfig } from '../config/index.ts';
import type { Database } from './open-database.ts';
import { notInList, rowChunks } from './bounded-statements.ts';
import { writeRetentionDays } from './result-retention.ts';
import { checks, componentGroups, components, organisations, regions, slaProfiles, statusPages } from './schema/index.ts';

export type SyncSummary = { upserted: Record<string, number>; retired: Record<string, number> };

/**
 * Makes the database describe what the config says. Rows the config no longer
 * names are retired (retired_at set), never deleted, so their history and
 * SLA figures stay; a row that comes back is revived.
 */
export async function syncConfig(db: Database, config: StatusvaktConfig, now: Date): Promise<SyncSummary> {
  const rows = flattenConfig(config);
  const summary: SyncSummary = { upserted: {}, retired: {} };
  await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    summary.retired.organisations = await upsertAndRetire(t, organisations, [organisations.id], rows.organisations, now);
    summary.retired.regions = await upsertAndRetire(t, regions, [regions.id], rows.regions, now);
    summary.retired.slaProfiles = await upsertAndRetire(t, slaProfiles, [slaProfiles.id], rows.slaProfiles, now);
    summary.retired.pages = await upsertAndRetire(t, statusPages, [statusPages.id], rows.pages, now);
    summary.retired.groups = await upsertAndRetire(t, componentGroups, [componentGroups.id], rows.groups, now);
    summary.retired.components = await upsertAndRetire(t, components, [components.id], rows.components, now);
    summary.retired.checks = await upsertAndRetire(t, checks, [checks.componentId, checks.checkId], rows.checks, now);
    await writeRetentionDays(t, config.retention?.rawResultsDays ?? DEFAULT_RAW_RESULTS_DAYS, now);
  });
  for (const [name, list] of Object.entries(rows)) summary.upserted[name] = list.length;
  return summary;
}

function flattenConfig(config: StatusvaktConfig) {
  const pages: (typeof statusPages.$inferInsert)[] = [];
  const groups: (typeof componentGroups.$inferInsert)[] = [];
  const componentRows: (typeof components.$inferInsert)[] = [];
  const checkRows: (typeof checks.$inferInsert)[] = [];
  config.pages.forEach((page, pagePosition) => {
    pages.push({
      id: page.id,
      organisationId: page.organisation,
      name: page.name,
      defaultLanguage: page.defaultLanguage,
      languages: page.languages,
      timeZone: page.timeZone,
      autoPublishRegistered: page.autoPublishRegistered,
      recentlyResolvedHours: page.recentlyResolvedHours,
      accessibility: page.accessibility ?? null,
      position: pagePosition,
    });
    page.groups.forEach((group, groupPosition) => {
      groups.push({ id: group.id, pageId: page.id, name: group.name, position: groupPosition });
      group.components.forEach((component, position) => {
        componentRows.push({
          id: component.id,
          groupId: group.id,
          name: component.name,
          description: component.description ?? null,
          slaProfileId: component.slaProfile ?? null,
          serviceCategory: component.serviceCategory ?? null,
          minFreshRegions: component.minFreshRegions ?? config.quorum?.minFreshRegions ?? null,
          dependsOn: component.dependsOn.map((d) => ({ componentId: d.component, effect: d.effect })),
          position,
        });
        component.checks.forEach((check, index) => {
          checkRows.push({
            componentId: component.id,
            checkId: checkId(component.checks, index),
            kind: check.kind,
            intervalSeconds: check.intervalSeconds,
            regions: check.regions ?? null,
            spec: check,
          });
        });
      });
    });
  });
  return {
    organisations: config.organisations.map((o) => ({ id: o.id, name: o.name })),
    // one name is kept for operators' views; the site shows each visitor the name in their language, from the config
    regions: config.regions.map((r) => ({ id: r.id, name: r.name === undefined ? null : localize(r.name, 'en') })),
    slaProfiles: config.slaProfiles.map((p) => ({
      id: p.id,
      name: p.name,
      availabilityTargetPercent: p.availabilityTargetPercent ?? null,
      timeZone: p.timeZone,
      // calendars are resolved into the profile, so the stored spec alone decides its figures
      spec: { ...p, calendars: Object.fromEntries(config.calendars.filter((c) => usesCalendar(p, c.id)).map((c) => [c.id, c])) },
    })),
    pages,
    groups,
    components: componentRows,
    checks: checkRows,
  };
}

function usesCalendar(profile: StatusvaktConfig['slaProfiles'][number], calendarId: string): boolean {
  return [profile.coverage, profile.supportHours].some((c) => c?.kind === 'business-hours' && c.calendar === calendarId);
}

type SyncedTable = PgTable & { retiredAt: PgColumn; updatedAt: PgColumn };

/** Upserts `rows` (reviving retired ones) and retires live rows not among them; returns how many were retired. */
async function upsertAndRetire<T extends SyncedTable>(
  db: Database,
  table: T,
  keyColumns: PgColumn[],
  rows: T['$inferInsert'][],
  now: Date,
): Promise<number> {
  if (rows.length > 0) {
    const keyNames = new Set(keyColumns.map((c) => c.name));
    const set: Record<string, SQL> = {};
    for (const [property, column] of Object.entries(table as unknown as Record<string, PgColumn>)) {
      if (typeof column !== 'object' || column === null || !('name' in column) || keyNames.has(column.name)) continue;
      if (column.name === 'created_at') continue;
      set[property] = sql.raw(`excluded."${column.name}"`);
    }
    set.retiredAt = sql`null`;
    set.updatedAt = sql`${now.toISOString()}::timestamptz`;
    // in chunks within the bind-parameter limit (10,000 components with 3 checks each are 90,000 values), in the caller's transaction
    for (const chunk of rowChunks(table, rows)) {
      await db.insert(table).values(chunk.map((row) => ({ ...row, updatedAt: now, createdAt: now }))).onConflictDoUpdate({ target: keyColumns, set });
    }
  }
  // ids match [a-z0-9-], so '/' cannot occur inside a key part
  const liveKeys = rows.map((row) => keyColumns.map((c) => String((row as Record<string, unknown>)[propertyOf(table, c)])).join('/'));
  const keyExpr = keyColumns.length === 1 ? sql`${keyColumns[0]}` : sql.join(keyColumns.map((c) => sql`${c}`), sql` || '/' || `);
  const notLive = notInList(keyExpr, liveKeys, 'text');
  const retired = await db
    .update(table)
    .set({ retiredAt: now, updatedAt: now } as never)
    .where(and(isNull(table.retiredAt), notLive))
    .returning({ retiredAt: table.retiredAt });
  return (retired as unknown[]).length;
}

function propertyOf(table: PgTable, column: PgColumn): string {
  const entry = Object.entries(table as unknown as Record<string, unknown>).find(([, value]) => value === column);
  if (!entry) throw new Error(`column ${column.name} is not in its table`);
  return entry[0];
}

