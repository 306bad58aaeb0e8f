import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../cli/background-work.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

/** What the planner knows of a table's size: -1 until it was first analysed or vacuumed. */
async function plannerRows(test: TestDatabase, table: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await test.handle.db.execute(sql`select reltuples::float8 as n from pg_class where relname = ${table}`));
  return Number(row?.n);
}

describe('the embedded database is analysed, as autovacuum would', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    await syncConfig(test.handle.db, testConfig(), new Date('2026-12-01T00:00:00Z'));
  });
  afterAll(async () => test?.drop());

  it('has no statistics on its own, and has them after the first background round', async () => {
    // PGlite runs no autovacuum: left alone, the planner never learns how big a table is
    expect(await plannerRows(test, 'components')).toBe(-1);
    const work = startBackgroundWork({ db: test.handle.db, now: () => new Date(), logger: pino({ level: 'silent' }), embedded: true });
    await work.flush();
    await work.stop();
    const [count] = rowsOf<{ n: number }>(await test.handle.db.execute(sql`select count(*)::int as n from components`));
    expect(await plannerRows(test, 'components')).toBe(count!.n);
    expect(await plannerRows(test, 'latest_results')).toBeGreaterThanOrEqual(0);
  });
});
