import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../tests/support/databases.ts';
import type { Database } from './open-database.ts';
import { rowsOf } from './rows-of.ts';
import { watchInterrupt } from './interrupt-transaction.ts';

describe.each(DRIVERS)('giving up a transaction on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await test.handle.db.execute(sql`create table interrupted (n int)`);
  });
  afterAll(async () => {
    await test?.drop();
  });
  const count = async () => Number(rowsOf<{ n: number | string }>(await test.handle.db.execute(sql`select count(*) as n from interrupted`))[0]!.n);

  it('rolls back at the next step once the signal aborts, keeping what the transaction wrote out of the table', async () => {
    const { db } = test.handle;
    const giveUp = new AbortController();
    const work = db.transaction(async (tx) => {
      const watch = await watchInterrupt(tx as unknown as Database, { signal: giveUp.signal });
      try {
        await tx.execute(sql`insert into interrupted values (1)`);
        giveUp.abort(new Error('time is up'));
        watch.check();
        await tx.execute(sql`insert into interrupted values (2)`);
      } finally {
        await watch.release();
      }
    });
    await expect(work).rejects.toThrow('time is up');
    expect(await count()).toBe(0);
  });

  it('refuses to start once the signal has aborted', async () => {
    const giveUp = new AbortController();
    giveUp.abort(new Error('already over'));
    await expect(test.handle.db.transaction((tx) => watchInterrupt(tx as unknown as Database, { signal: giveUp.signal }))).rejects.toThrow('already over');
  });

  it.runIf(driver === 'postgres')('cancels the query the transaction is running on PostgreSQL, within moments', async () => {
    const { db } = test.handle;
    const giveUp = new AbortController();
    const began = performance.now();
    const work = db.transaction(async (tx) => {
      const watch = await watchInterrupt(tx as unknown as Database, { signal: giveUp.signal, outer: db });
      try {
        await tx.execute(sql`insert into interrupted values (3)`);
        setTimeout(() => giveUp.abort(new Error('time is up')), 200);
        await tx.execute(sql`select pg_sleep(30)`);
      } finally {
        await watch.release();
      }
    });
    const failure = await work.then(() => new Error('the transaction was not given up'), (err: Error) => err);
    // drizzle names the failed query; PostgreSQL's own error is its cause
    expect((failure.cause as Error | undefined)?.message).toMatch(/canceling statement due to user request/);
    expect(performance.now() - began).toBeLessThan(5_000);
    expect(await count()).toBe(0);
    // the connection goes back to the pool unharmed: the next queries on it answer
    for (let i = 0; i < 12; i++) expect(await count()).toBe(0);
  });
});
