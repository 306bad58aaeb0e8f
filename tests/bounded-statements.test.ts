import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markAllLive } from '../api/index.ts';
import { inList, notInList, rowsOf, syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
// past PostgreSQL's 65,535 bind parameters if written or named in one statement with a parameter each
const MANY = 70_000;

describe.each(DRIVERS)('statements past the bind-parameter limit on %s', (driver) => {
  let test: TestDatabase;
  const count = async (query: ReturnType<typeof sql>) => Number(rowsOf<{ n: number }>(await test.handle.db.execute(query))[0]!.n);

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), NOW);
  }, 60_000);
  afterAll(async () => {
    await test?.drop();
  });

  it('marks every one of 70,000 live components for evaluation', async () => {
    const db = test.handle.db;
    await db.execute(sql`insert into components (id, group_id, name, position, created_at, updated_at)
      select 'bulk-' || n, 'login', '"Bulk"'::jsonb, n, ${NOW.toISOString()}::timestamptz, ${NOW.toISOString()}::timestamptz from generate_series(1, ${MANY}) as n`);
    await db.execute(sql`insert into checks (component_id, check_id, kind, interval_seconds, spec, created_at, updated_at)
      select 'bulk-' || n, 'https', 'https', 60, '{"kind":"https"}'::jsonb, ${NOW.toISOString()}::timestamptz, ${NOW.toISOString()}::timestamptz from generate_series(1, ${MANY}) as n`);
    await db.delete(tables.evaluationMarks);
    await markAllLive(db, NOW);
    const live = await count(sql`select count(distinct component_id)::int as n from checks where retired_at is null`);
    expect(live).toBe(MANY + testConfig().pages[0]!.groups.flatMap((g) => g.components).length);
    expect(await count(sql`select count(*)::int as n from evaluation_marks`)).toBe(live);
  }, 120_000);

  it('names 70,000 ids of a serial column in one condition, and an empty list matches nothing', async () => {
    const db = test.handle.db;
    const s = tables.stateIntervals;
    await db.execute(sql`insert into state_intervals (component_id, state, started_at, ended_at)
      select 'bulk-' || n, 'up', ${NOW.toISOString()}::timestamptz, ${NOW.toISOString()}::timestamptz + interval '1 minute' from generate_series(1, ${MANY}) as n`);
    const ids = (await db.select({ id: s.id }).from(s)).map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(MANY);
    const kept = ids.slice(0, 10);
    expect(await db.$count(s, inList(s.id, ids))).toBe(ids.length);
    expect(await db.$count(s, inList(s.id, []))).toBe(0);
    expect(await db.$count(s, notInList(s.id, []))).toBe(ids.length);
    await db.delete(s).where(inList(s.id, ids.slice(10)));
    expect((await db.select({ id: s.id }).from(s)).map((r) => r.id).sort((a, b) => a - b)).toEqual(kept);
    // text columns, and values that need quoting in JSON
    expect(await db.$count(tables.components, inList(tables.components.id, ['sso', 'bulk-1', 'a"b\\c']))).toBe(2);
    expect(await db.$count(tables.components, notInList(tables.components.id, ['sso']))).toBe(
      (await db.$count(tables.components)) - (await db.$count(tables.components, eq(tables.components.id, 'sso'))),
    );
  }, 120_000);
});
