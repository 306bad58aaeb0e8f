import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, evaluatePending, ingestResults, loadPageStatus, type App, type PageStatus } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';
import { aNotice, noticeConfig, sourceRead } from './support/notice-fixtures.ts';

const NOW = new Date('2026-12-01T12:00:30Z');

describe.each(DRIVERS)('a component that depends on a third party on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, noticeConfig(), NOW);
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }), publicUrl: 'http://status.example.dk/' });
  });
  afterAll(async () => {
    await test?.drop();
  });

  const read = async (startedAt: string, exchange: 'up' | 'degraded', notices: ReturnType<typeof aNotice>[]) => {
    const results = [
      sourceRead(startedAt, notices, exchange === 'up' ? {} : { outcome: 'degraded', reason: 'upstream_degraded' }),
      result({ componentId: 'mail', regionId: 'north', startedAt }),
      result({ componentId: 'portal', regionId: 'north', startedAt }),
    ];
    const outcome = await ingestResults(test.handle.db, { regionId: 'north', results, now: NOW });
    expect(outcome.rejected).toEqual([]);
    await evaluatePending(test.handle.db, NOW);
  };
  const component = (status: PageStatus, id: string) => status.groups.flatMap((g) => g.components).find((c) => c.id === id)!;

  it('shows measured states and no notices while the third party is operational', async () => {
    await read('2026-12-01T11:59:00Z', 'up', []);
    const status = (await loadPageStatus(test.handle.db, { pageId: 'status', now: NOW }))!;
    expect(component(status, 'mail')).toMatchObject({ state: 'up', shown: { status: 'operational', by: 'measured' }, dependencies: [], noticeIds: [] });
    expect(status.notices).toEqual([]);
    expect(status.overall).toBe('none');
  });

  it('shows the dependent at least degraded while the third party reports a problem, and says why', async () => {
    await read('2026-12-01T12:00:00Z', 'degraded', [aNotice({ title: '<script>alert(1)</script> Mail delayed' })]);
    const status = (await loadPageStatus(test.handle.db, { pageId: 'status', now: NOW }))!;
    const mail = component(status, 'mail');
    expect(mail.state).toBe('up');
    expect(mail.shown).toEqual({ status: 'degraded_performance', by: 'dependency' });
    expect(mail.dependencies).toEqual([{ componentId: 'exchange', name: 'Exchange Online', effect: 'degraded', state: 'degraded' }]);
    expect(component(status, 'portal')).toMatchObject({ shown: { by: 'measured' }, dependencies: [], noticeIds: [] });
    expect(status.notices).toHaveLength(1);
    expect(status.notices[0]).toMatchObject({ componentId: 'exchange', componentName: 'Exchange Online', kind: 'incident', title: '<script>alert(1)</script> Mail delayed', lastSeenAt: '2026-12-01T12:00:00.000Z' });
    expect(mail.noticeIds).toEqual([status.notices[0]!.id]);
    expect(component(status, 'exchange').noticeIds).toEqual([status.notices[0]!.id]);
    expect(status.overall).toBe('minor');
  });

  it('serves the same on the public API, and Statuspage says where the status comes from', async () => {
    const response = await app.request('http://status.example.dk/api/v1/pages/status/status');
    expect(response.status).toBe(200);
    const body = (await response.json()) as PageStatus;
    expect(component(body, 'mail').shown.by).toBe('dependency');
    expect(body.notices.map((n) => n.title)).toEqual(['<script>alert(1)</script> Mail delayed']);
    const statuspage = (await (await app.request('http://status.example.dk/api/v2/components.json')).json()) as { components: { id: string; status: string; status_source?: string }[] };
    expect(statuspage.components.find((c) => c.id === 'mail')).toMatchObject({ status: 'degraded_performance', status_source: 'dependency' });
  });
});
