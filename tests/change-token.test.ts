import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, ingestResults, loadChangeToken } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

describe.each(DRIVERS)('the public pages\' change token on %s', (driver) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('moves when a verdict or a state changes, and stays when a result only repeats the last one', async () => {
    const { db } = test.handle;
    // a result as the server takes it: stored, then evaluated (which keeps the latest verdicts and the states)
    const send = async (outcome: 'up' | 'down', startedAt: string) => {
      await ingestResults(db, { regionId: 'north', results: [result({ componentId: 'sso', regionId: 'north', outcome, startedAt, ...(outcome === 'down' ? { reason: 'connect_refused' } : {}) })], now: NOW });
      await evaluatePending(db, NOW);
    };
    const first = await loadChangeToken(db);
    expect(await loadChangeToken(db)).toBe(first);

    await send('up', '2026-11-21T11:59:00Z');
    const afterFirstResult = await loadChangeToken(db);
    expect(afterFirstResult).not.toBe(first); // a region reports for the first time

    await send('up', '2026-11-21T11:59:30Z');
    expect(await loadChangeToken(db)).toBe(afterFirstResult); // the same verdict again: nothing to show

    await send('down', '2026-11-21T11:59:40Z');
    expect(await loadChangeToken(db)).not.toBe(afterFirstResult); // one region's verdict changed, whatever the quorum says

    const intervals = await db.select().from(tables.stateIntervals).where(eq(tables.stateIntervals.componentId, 'sso'));
    expect(intervals.length).toBeGreaterThan(0);
    // a service window announced, then cancelled, with no measurement at all
    const quiet = await loadChangeToken(db);
    const w = tables.serviceWindows;
    const [window] = await db
      .insert(w)
      .values({ componentIds: ['sso'], title: { en: 'Upgrade' }, plannedStart: new Date('2026-11-22T10:00:00Z'), plannedEnd: new Date('2026-11-22T11:00:00Z'), announcedAt: NOW, createdBy: 'test' })
      .returning();
    const announced = await loadChangeToken(db);
    expect(announced).not.toBe(quiet);
    await db.update(w).set({ cancelledAt: NOW }).where(eq(w.id, window!.id));
    expect(await loadChangeToken(db)).not.toBe(announced);
  });
});
