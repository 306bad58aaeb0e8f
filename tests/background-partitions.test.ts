import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../cli/background-work.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

function capturedLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe.each(DRIVERS)('the server keeps raw-result partitions on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date());
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('makes the coming days in its first round, as the server starts', async () => {
    const { logger, lines } = capturedLogger();
    const now = new Date('2026-12-07T10:00:00Z');
    const work = startBackgroundWork({ db: test.handle.db, now: () => now, logger });
    await work.flush();
    await work.stop();
    const names = rowsOf<{ name: string }>(
      await test.handle.db.execute(sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'check_results'::regclass order by 1`),
    ).map((r) => r.name);
    expect(names).toEqual(['check_results_d20261206', 'check_results_d20261207', 'check_results_d20261208', 'check_results_d20261209', 'check_results_d20261210', 'check_results_default']);
    expect(lines.find((l) => l.msg === 'raw-result partitions maintained')).toMatchObject({ created: names.slice(0, 5), dropped: [] });
  });

  it('logs a round that fails, goes on with the rest of its work, and retries within a minute', async () => {
    const { db } = test.handle;
    // a table in the way of a day's partition, as a hand-made copy might be
    await db.execute(sql`create table check_results_d20261221 (note text)`);
    const { logger, lines } = capturedLogger();
    let now = new Date('2026-12-20T10:00:00Z');
    const work = startBackgroundWork({ db, now: () => now, logger });
    try {
      await work.flush();
      const failed = lines.find((l) => l.msg === 'raw-result partition maintenance failed; it is retried');
      expect(failed).toMatchObject({ retryInSeconds: 60 });
      expect(JSON.stringify(failed)).toContain('already exists');
      // nothing of the round was kept, and nothing else failed: the evaluator ran after it
      expect(lines.filter((l) => l.level >= 50)).toHaveLength(1);

      await db.execute(sql`drop table check_results_d20261221`);
      now = new Date(now.getTime() + 61_000);
      await work.flush();
      expect(lines.find((l) => l.msg === 'raw-result partitions maintained' && (l.created as string[]).includes('check_results_d20261221'))).toBeDefined();
    } finally {
      await work.stop();
    }
  });
});
