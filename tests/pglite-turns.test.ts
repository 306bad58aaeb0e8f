import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/index.ts';

/**
 * The embedded database runs every query on the serving thread. Requests that
 * arrive while a long piece of work queries it (a refresh of the kept pages,
 * the evaluator's round on 1,000 components) are answered between two of its
 * queries, inside a transaction too, so no run of queries holds a visitor for
 * its whole length.
 */
describe('the embedded database between two queries', () => {
  let dir: string;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-turns-'));
    handle = await openDatabase({ dataDir: dir });
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** How many turns of the event loop happen while `work` runs (a visitor's request needs one). */
  const turnsDuring = async (work: () => Promise<unknown>) => {
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await work();
    running = false;
    return turns;
  };

  it('lets the event loop turn between the queries of a transaction', async () => {
    const queries = 20;
    const turns = await turnsDuring(() =>
      handle.db.transaction(async (tx) => {
        for (let i = 0; i < queries; i++) await tx.execute(sql`select ${i}::int as n`);
      }),
    );
    expect(turns).toBeGreaterThanOrEqual(queries);
  });

  it('and between queries outside one', async () => {
    const turns = await turnsDuring(async () => {
      for (let i = 0; i < 20; i++) await handle.db.execute(sql`select ${i}::int as n`);
    });
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('still rolls a failed transaction back', async () => {
    await handle.db.execute(sql`create table turns_probe (n int)`);
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`insert into turns_probe values (1)`);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    const rows = await handle.db.execute(sql`select count(*)::int as n from turns_probe`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });
});
