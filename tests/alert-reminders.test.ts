import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRoutesOf } from '../alerts/index.ts';
import { evaluatePending, ingestResults, openIncident, recordDueAlerts, type AlertPayload } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';

/** A route that wants every reminder the clock makes due, with lead times of its own. */
const parsed = parseConfig(`
regions: [{ id: north }, { id: south }]
organisations:
  - id: kommune
    name: Kommune
    alertRoutes:
      - id: duty
        events: [communication_due, reaction_near, reaction_breached, window_overrunning, certificate_expiring, region_unhealthy]
        dueInMinutes: 5
        reactionNearMinutes: 5
        certificateDays: 14
        channels: [{ kind: slack, urlEnv: SLACK_URL }]
slaProfiles:
  - { id: basic, name: Basic, availabilityTargetPercent: 99.9, reactionMinutes: { A: 15 } }
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: Single sign-on, slaProfile: basic, checks: [{ kind: https, url: "https://sso.example.dk/" }] }
          - { id: mfa, name: MFA, slaProfile: basic, checks: [{ kind: https, url: "https://mfa.example.dk/" }] }
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const config = parsed.config;
const routes = alertRoutesOf(config);

describe.each(DRIVERS)('reminders the clock makes due, on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config, new Date('2026-01-01T00:00:00Z'));
  });
  afterAll(async () => test?.drop());

  const raised = async () =>
    (await test.handle.db.select().from(tables.notificationEvents))
      .filter((e) => e.kind === 'operator_alert')
      .map((e) => e.payload as AlertPayload)
      .map((p) => `${p.event}${p.detail.step ? `:${String(p.detail.step)}` : ''}`)
      .sort();

  it('raises each reminder once, when its lead time is reached, and not before', async () => {
    const opened = new Date('2026-04-01T10:00:00Z');
    const at = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);
    await openIncident(test.handle.db, { pageId: 'status', title: 'Login down', priority: 'A', componentIds: ['sso'], actor: 'system', now: opened });
    const before = await raised();

    // 9 minutes in: the "registered" step (due at 15) and the reaction (due at 15) are 6 minutes away, more than the route's 5
    await recordDueAlerts(test.handle.db, { routes, now: at(9) });
    expect(await raised()).toEqual(before);
    // 11 minutes in: both within 5 minutes
    await recordDueAlerts(test.handle.db, { routes, now: at(11) });
    await recordDueAlerts(test.handle.db, { routes, now: at(12) }); // again: nothing new
    expect(await raised()).toEqual([...before, 'communication_due:registered', 'reaction_near'].sort());
    // 16 minutes in: the reaction deadline has passed unacknowledged
    await recordDueAlerts(test.handle.db, { routes, now: at(16) });
    await recordDueAlerts(test.handle.db, { routes, now: at(17) });
    expect((await raised()).filter((e) => e === 'reaction_breached')).toHaveLength(1);
    // 26 minutes in: the "nature" step, due at 30
    await recordDueAlerts(test.handle.db, { routes, now: at(26) });
    expect((await raised()).filter((e) => e.startsWith('communication_due'))).toEqual(['communication_due:nature', 'communication_due:registered']);
  });

  it('raises a started window that passes its planned end, a certificate within its days, and a region failing alone', async () => {
    const start = new Date('2026-04-02T10:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    // a window an operator started on time and has not closed
    await test.handle.db.insert(tables.serviceWindows).values({ componentIds: ['mfa'], title: { en: 'Upgrade' }, plannedStart: at(0), plannedEnd: at(30), announcedAt: at(-60), actualStart: at(0), createdBy: 'op@kommune.example' });
    await recordDueAlerts(test.handle.db, { routes, now: at(29) });
    expect((await raised()).filter((e) => e === 'window_overrunning')).toHaveLength(0);
    await recordDueAlerts(test.handle.db, { routes, now: at(31) });
    await recordDueAlerts(test.handle.db, { routes, now: at(32) });
    expect((await raised()).filter((e) => e === 'window_overrunning')).toHaveLength(1);

    // sso's certificate expires in 10 days (within 14); north fails everything while south sees it all up
    const certificate = { subject: 'CN=sso.example.dk', issuer: 'CN=Test CA', subjectAltNames: ['sso.example.dk'], notBefore: at(-60 * 24 * 80).toISOString(), notAfter: at(60 * 24 * 10).toISOString(), sha256Fingerprint: 'AA:BB', chainVerified: true };
    const now = at(40);
    for (const componentId of ['sso', 'mfa']) {
      const south = await ingestResults(test.handle.db, { regionId: 'south', results: [result({ componentId, regionId: 'south', startedAt: now.toISOString(), outcome: 'up', certificate })], now });
      const north = await ingestResults(test.handle.db, { regionId: 'north', results: [result({ componentId, regionId: 'north', startedAt: now.toISOString(), outcome: 'down', reason: 'connect_refused' })], now });
      expect([...south.rejected, ...north.rejected]).toEqual([]);
    }
    await evaluatePending(test.handle.db, now);
    await recordDueAlerts(test.handle.db, { routes, now });
    await recordDueAlerts(test.handle.db, { routes, now: new Date(now.getTime() + 10_000) });
    const events = await test.handle.db.select().from(tables.notificationEvents);
    const payloads = events.filter((e) => e.kind === 'operator_alert').map((e) => e.payload as AlertPayload);
    expect(payloads.filter((p) => p.event === 'certificate_expiring').map((p) => `${p.components.map((c) => c.id).join()} ${p.detail.notAfter}`).sort()).toEqual([`mfa ${certificate.notAfter}`, `sso ${certificate.notAfter}`]);
    expect(payloads.filter((p) => p.event === 'region_unhealthy').map((p) => p.detail.region)).toEqual(['north']);
  });
});
