import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, ingestResults } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';

const config = parseConfig(`
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: g
        name: G
        components:
          - { id: sso, name: SSO, checks: [{ kind: https, url: "https://sso.example.dk/" }] }
          - { id: portal, name: Portal, checks: [{ kind: https, url: "https://portal.example.dk/" }] }
`);

describe.each(DRIVERS)('a replayed backlog before the evaluator on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('rebuilds each component once from its earliest mark, taking all of its marks in one round', async () => {
    const { db } = test.handle;
    const now = new Date('2026-12-07T12:00:00Z');
    if (!config.ok) throw new Error(JSON.stringify(config.issues));
    await syncConfig(db, config.config, now);
    // 150 batches, as a probe replays an outage: each marks both components again
    const startMs = now.getTime() - 150 * 60_000;
    for (let i = 0; i < 150; i++) {
      const startedAt = new Date(startMs + i * 60_000).toISOString();
      const batch = [result({ componentId: 'sso', regionId: 'north', startedAt, outcome: i >= 100 && i < 120 ? 'down' : 'up' }), result({ componentId: 'portal', regionId: 'north', startedAt })];
      expect((await ingestResults(db, { regionId: 'north', results: batch, now })).accepted).toBe(2);
    }
    const count = async () => Number(rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from evaluation_marks`))[0]!.n);
    expect(await count()).toBe(300);
    // the 10 oldest marks name both components: every one of their 300 marks goes in this round
    expect(await evaluatePending(db, now, { limit: 10 })).toBe(300);
    expect(await count()).toBe(0);
    const sso = rowsOf<{ state: string; started_at: Date | string }>(await db.execute(sql`select state, started_at from state_intervals where component_id = 'sso' order by started_at`));
    const at = (minute: number) => new Date(startMs + minute * 60_000).toISOString();
    expect(sso.map((s) => [s.state, new Date(s.started_at).toISOString()])).toEqual([
      ['up', at(0)],
      ['down', at(100)],
      ['up', at(120)],
    ]);
    expect(await evaluatePending(db, now, { limit: 10 })).toBe(0);
  });
});
