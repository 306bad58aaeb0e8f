import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending } from '../api/index.ts';
import { oldestMarks, takeMarks, useClaimScans } from '../api/evaluate/claim-marks.ts';
import { rowsOf, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

/** Every scan of evaluation_marks in the plan of `statement`, as its node type. */
async function scansOfMarks(db: Database, statement: ReturnType<typeof oldestMarks>): Promise<string[]> {
  const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(await db.execute(sql`explain (format json) ${statement}`));
  const raw = row!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const scans: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] === 'evaluation_marks') scans.push(node['Node Type']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0]!.Plan);
  return scans;
}

describe.each(DRIVERS)('claiming evaluation marks on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('walks the primary key whatever the statistics say about the queue', async () => {
    const { db } = test.handle;
    // statistics taken while the queue was empty, then 30,000 marks of 1,000 components, most of them taken again
    await db.execute(sql`vacuum analyze evaluation_marks`);
    await db.execute(sql`insert into evaluation_marks (component_id, from_at) select 'c' || (n % 1000), now() from generate_series(1, 30000) n`);
    await db.execute(sql`delete from evaluation_marks where id % 10 <> 0`);
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const plans = async (tx: Database) => {
      const [first] = rowsOf<{ id: number | string }>(await tx.execute(sql`select min(id) as id from evaluation_marks`));
      return [...(await scansOfMarks(tx, oldestMarks(2000))), ...(await scansOfMarks(tx, takeMarks(Number(first!.id), ids)))];
    };
    const claimPlans = () =>
      db.transaction(async (tx) => {
        await useClaimScans(tx as unknown as Database);
        return plans(tx as unknown as Database);
      });
    // the oldest marks, the marks to take, and the delete of those by id: each by the primary key
    expect(await claimPlans()).toEqual(['Index Scan', 'ModifyTable', 'Index Scan', 'Index Scan']);
    // the same once statistics say the queue is full, where the planner left to itself reads the whole queue
    await db.execute(sql`analyze evaluation_marks`);
    expect(await claimPlans()).toEqual(['Index Scan', 'ModifyTable', 'Index Scan', 'Index Scan']);
    expect(await plans(db)).toContain('Seq Scan');
  });

  it('puts the scan settings back for the rest of the round', async () => {
    const { db } = test.handle;
    const setting = async (tx: Database) => rowsOf<{ s: string }>(await tx.execute(sql`select current_setting('enable_seqscan') as s`))[0]!.s;
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Database;
      const restore = await useClaimScans(tx);
      expect(await setting(tx)).toBe('off');
      await restore();
      expect(await setting(tx)).toBe('on');
    });
    // and a whole round leaves them as they were
    await evaluatePending(db, new Date());
    expect(await setting(db)).toBe('on');
  });
});
