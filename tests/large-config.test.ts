import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, type App } from '../api/index.ts';
import { parseConfig, type StatusvaktConfig } from '../config/index.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const LATER = new Date('2026-11-21T13:00:00Z');
const GROUPS = 100;
const PER_GROUP = 100;
const COMPONENTS = GROUPS * PER_GROUP;
const CHECKS_PER_COMPONENT = 3;

/**
 * One page of `GROUPS` × `PER_GROUP` components with three checks each. `variant` 'second' leaves out the
 * last group, gives every component of group 0 only two checks and changes the interval of group 1's checks.
 */
function largeConfigText(variant: 'first' | 'second'): string {
  const groupCount = variant === 'first' ? GROUPS : GROUPS - 1;
  const component = (g: number, c: number) => {
    const id = g * PER_GROUP + c;
    const count = variant === 'second' && g === 0 ? CHECKS_PER_COMPONENT - 1 : CHECKS_PER_COMPONENT;
    const interval = variant === 'second' && g === 1 ? 120 : 60;
    const checks = Array.from({ length: count }, (_, k) => `{ kind: https, url: "https://s${id}.example.dk/p${k}", intervalSeconds: ${interval} }`);
    return `          - { id: c${id}, name: Service ${id}, checks: [${checks.join(', ')}] }`;
  };
  const group = (g: number) => `      - id: g${g}
        name: Group ${g}
        components:
${Array.from({ length: PER_GROUP }, (_, c) => component(g, c)).join('\n')}`;
  return `regions: [{ id: north }, { id: south }, { id: west }]
organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    groups:
${Array.from({ length: groupCount }, (_, g) => group(g)).join('\n')}
`;
}

function parsed(text: string): StatusvaktConfig {
  const result = parseConfig(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
  return result.config;
}

const seconds = (startedMs: number) => ((performance.now() - startedMs) / 1000).toFixed(2);

describe('a config of 10,000 components and 30,000 checks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-large-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes check-config', async () => {
    const file = join(dir, 'statusvakt.yaml');
    writeFileSync(file, largeConfigText('first'));
    const started = performance.now();
    const { code, stdout, stderr } = await runCli(['check-config', file]);
    console.log(`check-config of ${COMPONENTS} components, ${COMPONENTS * CHECKS_PER_COMPONENT} checks: ${seconds(started)} s`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`${COMPONENTS} component(s), ${COMPONENTS * CHECKS_PER_COMPONENT} check(s)`);
  }, 120_000);
});

describe.each(DRIVERS)('a config of 10,000 components and 30,000 checks on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const first = parsed(largeConfigText('first'));
  const count = async (query: ReturnType<typeof sql>) => Number(rowsOf<{ n: number }>(await test.handle.db.execute(query))[0]!.n);

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
  }, 60_000);
  afterAll(async () => {
    await test?.drop();
  });

  it('syncs in one transaction of bounded statements', async () => {
    const started = performance.now();
    const summary = await syncConfig(test.handle.db, first, NOW);
    console.log(`${driver}: first sync of ${COMPONENTS} components, ${COMPONENTS * CHECKS_PER_COMPONENT} checks: ${seconds(started)} s`);
    expect(summary.upserted.components).toBe(COMPONENTS);
    expect(summary.upserted.checks).toBe(COMPONENTS * CHECKS_PER_COMPONENT);
    expect(await count(sql`select count(*)::int as n from components where retired_at is null`)).toBe(COMPONENTS);
    expect(await count(sql`select count(*)::int as n from checks where retired_at is null`)).toBe(COMPONENTS * CHECKS_PER_COMPONENT);
    expect(await count(sql`select count(distinct group_id)::int as n from components`)).toBe(GROUPS);
  }, 300_000);

  it('gives a probe its 30,000 checks in one assignment', async () => {
    const { token } = await createProbeToken(test.handle.db, { regionId: 'north', now: NOW });
    const started = performance.now();
    const response = await app.request('http://api/api/v1/probe/assignment', { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { checks: { componentId: string; checkId: string }[] };
    console.log(`${driver}: assignment of ${body.checks?.length} checks: ${seconds(started)} s`);
    expect(response.status).toBe(200);
    expect(body.checks).toHaveLength(COMPONENTS * CHECKS_PER_COMPONENT);
    expect(new Set(body.checks.map((c) => `${c.componentId}/${c.checkId}`)).size).toBe(COMPONENTS * CHECKS_PER_COMPONENT);
  }, 120_000);

  it('answers the page status with every group and component', async () => {
    const started = performance.now();
    const response = await app.request('http://status.example.dk/api/v1/pages/status/status?days=1');
    const body = (await response.json()) as { groups: { id: string; components: { id: string }[] }[] };
    console.log(`${driver}: page status of ${COMPONENTS} components: ${seconds(started)} s`);
    expect(response.status).toBe(200);
    expect(body.groups).toHaveLength(GROUPS);
    expect(body.groups.flatMap((g) => g.components)).toHaveLength(COMPONENTS);
  }, 120_000);

  it('retires what a second config leaves out and updates what it changes', async () => {
    const second = parsed(largeConfigText('second'));
    const started = performance.now();
    const summary = await syncConfig(test.handle.db, second, LATER);
    console.log(`${driver}: second sync: ${seconds(started)} s`);
    // the last group's 100 components and their 300 checks, and group 0's third check of each component
    expect(summary.retired.groups).toBe(1);
    expect(summary.retired.components).toBe(PER_GROUP);
    expect(summary.retired.checks).toBe(PER_GROUP * CHECKS_PER_COMPONENT + PER_GROUP);
    const liveChecks = (GROUPS - 1) * PER_GROUP * CHECKS_PER_COMPONENT - PER_GROUP;
    expect(await count(sql`select count(*)::int as n from checks where retired_at is null`)).toBe(liveChecks);
    expect(await count(sql`select count(*)::int as n from checks where retired_at is not null`)).toBe(PER_GROUP * CHECKS_PER_COMPONENT + PER_GROUP);
    expect(await count(sql`select count(*)::int as n from components where retired_at is not null and group_id = ${`g${GROUPS - 1}`}`)).toBe(PER_GROUP);
    expect(await count(sql`select count(*)::int as n from checks c join components k on k.id = c.component_id where k.group_id = 'g1' and c.interval_seconds = 120`)).toBe(PER_GROUP * CHECKS_PER_COMPONENT);
    expect(await count(sql`select count(*)::int as n from checks where check_id = 'https-3' and retired_at is not null and component_id in (select id from components where group_id = 'g0')`)).toBe(PER_GROUP);

    // the first config again revives everything
    const back = await syncConfig(test.handle.db, first, new Date(LATER.getTime() + 60_000));
    expect(back.retired.checks).toBe(0);
    expect(await count(sql`select count(*)::int as n from checks where retired_at is null`)).toBe(COMPONENTS * CHECKS_PER_COMPONENT);
  }, 300_000);
});
