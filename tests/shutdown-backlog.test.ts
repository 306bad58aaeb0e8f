import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { startServer } from './support/run-cli.ts';

const COMPONENTS = 500;
const title = postgresAdminUrl ? 'stopping serve in the middle of a replayed backlog' : 'stopping serve in the middle of a backlog (skipped: set TEST_DATABASE_URL to a PostgreSQL server)';

describe.skipIf(!postgresAdminUrl)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-backlog-'));
  let database: { url: string; drop: () => Promise<void> };
  let client: pg.Client;
  // the backlog's own marks: the live sweep adds one per component on its timer, so the table itself is rarely empty
  let lastBacklogMark = 0;
  const marks = async () =>
    Number((await client.query<{ n: string }>('select count(*) as n from evaluation_marks where id <= $1', [lastBacklogMark])).rows[0]!.n);

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: north }]
organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
${Array.from({ length: COMPONENTS }, (_, i) => `          - { id: c${i}, name: C${i}, checks: [{ kind: https, url: "https://c${i}.example.dk/" }] }`).join('\n')}
`,
    );
    database = await createPostgresDatabase();
    // a first start migrates and writes the components; it is stopped at once
    const first = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    expect(await first.stop()).toBe(0);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // as a region replaying six hours stores them: 600,000 results in batches of 500, each marking its components and naming its results
    await client.query(`
      with rows as (
        select n, gen_random_uuid() as id, 'c' || (n % ${COMPONENTS}) as component_id, now() - interval '6 hours' + (n / ${COMPONENTS}) * interval '18 seconds' as started_at
        from generate_series(0, 599999) n
      ), stored as (
        insert into check_results (id, component_id, check_id, region_id, started_at, outcome, duration_ms)
        select id, component_id, 'https', 'north', started_at, 'up', 100 from rows
      )
      insert into evaluation_marks (component_id, from_at, with_results, new_started_at, new_ids)
      select component_id, min(started_at), true, array_agg(started_at), array_agg(id) from rows group by n / 500, component_id`);
    lastBacklogMark = Number((await client.query<{ id: string }>('select max(id) as id from evaluation_marks')).rows[0]!.id);
    expect(await marks()).toBe(600_000);
  }, 240_000);

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('stops within 10 s of SIGTERM, cleanly, and the next start takes up what was left', async () => {
    const server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    // the evaluator is at work on the backlog
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asked = performance.now();
    const code = await server.stop();
    const tookMs = performance.now() - asked;
    expect(code, server.output().slice(-2_000)).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(server.output()).not.toContain('did not finish in time');
    const givenUp = server.output().includes('the evaluation was given up');
    console.log(`stopping serve in a replayed backlog of 600,000 results: stopped in ${Math.round(tookMs)} ms; ${givenUp ? 'the evaluation in progress was given up, its marks kept' : 'the evaluation in progress finished'}`);

    const again = await startServer(['serve', '--config', join(dir, 'config.yaml')], { DATABASE_URL: database.url });
    try {
      for (let i = 0; i < 600 && (await marks()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await marks()).toBe(0);
      // every component's timeline reaches the end of its backlog
      const { rows } = await client.query<{ n: string }>("select count(distinct component_id) as n from state_intervals where state = 'up'");
      expect(Number(rows[0]!.n)).toBe(COMPONENTS);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 120_000);
});
