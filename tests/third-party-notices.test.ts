import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestResults, loadChangeToken } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { aNotice, noticeConfig, sourceRead } from './support/notice-fixtures.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

describe.each(DRIVERS)('third-party notices stored on ingest on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, noticeConfig(), NOW);
  });
  afterAll(async () => {
    await test?.drop();
  });
  beforeEach(async () => {
    await test.handle.db.delete(tables.thirdPartyNotices);
  });

  const ingest = async (...results: ReturnType<typeof sourceRead>[]) => {
    const outcome = await ingestResults(test.handle.db, { regionId: 'north', results, now: NOW });
    expect(outcome.rejected).toEqual([]);
    return outcome;
  };
  const notices = () => test.handle.db.select().from(tables.thirdPartyNotices).orderBy(asc(tables.thirdPartyNotices.externalId));

  it('stores what a read lists, updates it on a newer read, and ends what a newer read leaves out', async () => {
    await ingest(sourceRead('2026-12-01T11:00:00Z', [aNotice(), aNotice({ externalId: 'mnt-1', kind: 'maintenance', impact: 'maintenance', title: 'Planned work', startsAt: '2026-12-03T22:00:00Z', endsAt: '2026-12-04T02:00:00Z' })]));
    let rows = await notices();
    expect(rows.map((r) => [r.externalId, r.kind, r.title, r.endedAt])).toEqual([
      ['inc-1', 'incident', 'Users cannot send mail', null],
      ['mnt-1', 'maintenance', 'Planned work', null],
    ]);
    expect(rows[1]!.startsAt?.toISOString()).toBe('2026-12-03T22:00:00.000Z');

    await ingest(sourceRead('2026-12-01T11:05:00Z', [aNotice({ body: 'A fix is being deployed.' })]));
    rows = await notices();
    expect(rows[0]).toMatchObject({ body: 'A fix is being deployed.', endedAt: null });
    expect(rows[0]!.lastSeenAt.toISOString()).toBe('2026-12-01T11:05:00.000Z');
    expect(rows[0]!.firstSeenAt.toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(rows[1]!.endedAt?.toISOString()).toBe('2026-12-01T11:05:00.000Z');

    await ingest(sourceRead('2026-12-01T11:10:00Z', []));
    rows = await notices();
    expect(rows.every((r) => r.endedAt !== null)).toBe(true);
  });

  it('leaves the notices alone on a result without a list, a replayed result and an older one', async () => {
    const first = sourceRead('2026-12-01T11:00:00Z', [aNotice()]);
    await ingest(first);
    await ingest(sourceRead('2026-12-01T11:05:00Z', undefined, { outcome: 'unknown', reason: 'upstream_unreadable' }));
    expect((await notices())[0]!.endedAt).toBeNull();

    const replay = await ingest({ ...first, notices: [] });
    expect(replay.duplicates).toBe(1);
    expect((await notices())[0]!.endedAt).toBeNull();

    await ingest(sourceRead('2026-12-01T10:55:00Z', [aNotice({ title: 'An older title' })]));
    await ingest(sourceRead('2026-12-01T10:50:00Z', []));
    const [row] = await notices();
    expect(row).toMatchObject({ title: 'Users cannot send mail', endedAt: null });
  });

  it('applies a batch in the order of its reads, whatever their order in the batch', async () => {
    await ingest(sourceRead('2026-12-01T11:10:00Z', []), sourceRead('2026-12-01T11:00:00Z', [aNotice()]));
    const [row] = await notices();
    expect(row!.endedAt?.toISOString()).toBe('2026-12-01T11:10:00.000Z');
  });

  it('keeps the third party text as it came, markup included, for the page to escape', async () => {
    await ingest(sourceRead('2026-12-01T11:00:00Z', [aNotice({ title: '<b>Mail</b> & "calendar"' })]));
    expect((await notices())[0]!.title).toBe('<b>Mail</b> & "calendar"');
  });

  it("moves the pages' change token when a notice is new, reworded or ended, not on a mere sighting", async () => {
    const { db } = test.handle;
    const before = await loadChangeToken(db);
    await ingest(sourceRead('2026-12-01T11:00:00Z', [aNotice()]));
    const listed = await loadChangeToken(db);
    expect(listed).not.toBe(before);
    await ingest(sourceRead('2026-12-01T11:05:00Z', [aNotice()]));
    expect(await loadChangeToken(db)).toBe(listed);
    await ingest(sourceRead('2026-12-01T11:10:00Z', [aNotice({ body: 'Fixed for most users.' })]));
    const reworded = await loadChangeToken(db);
    expect(reworded).not.toBe(listed);
    await ingest(sourceRead('2026-12-01T11:15:00Z', []));
    expect(await loadChangeToken(db)).not.toBe(reworded);
  });
});
