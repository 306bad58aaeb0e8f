import { readFileSync } from 'node:fs';
import { TOTP } from 'otpauth';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createApiToken, createUser, enableTotp, incidentView, openIncident, syncAutomaticIncidents, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

let clock = new Date('2026-03-10T09:00:00Z');
const PASSWORD = 'correct horse battery staple';

describe.each(DRIVERS)('incidents, operators and access on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const call = async (method: string, path: string, options: { body?: unknown; cookie?: string; csrf?: string; bearer?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    const response = await app.request(`http://status.test${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const login = async (email: string) => {
    const response = await call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { cookie, csrf: response.body.csrfToken as string };
  };

  beforeAll(async () => {
    clock = new Date('2026-03-10T09:00:00Z');
    test = await createTestDatabase(driver);
    const parsed = parseConfig(readFileSync(new URL('../config/examples/uni-login.yaml', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'admin@stil.example', name: 'Admin', role: 'admin', password: PASSWORD });
    await createUser(test.handle.db, { email: 'operator@stil.example', name: 'Operator', role: 'operator', password: PASSWORD });
    await createUser(test.handle.db, { email: 'viewer@stil.example', name: 'Viewer', role: 'viewer', password: PASSWORD });
    await createUser(test.handle.db, { email: 'other@elsewhere.example', name: 'Other', role: 'operator', password: PASSWORD, organisationIds: ['elsewhere'] });
  });
  afterAll(async () => {
    await test?.drop();
  });

  describe('authentication and authorisation, on every operator route', async () => {
    const incidentId = '00000000-0000-4000-8000-000000000001';
    // written once, run for every route that changes something
    const writes = [
      { method: 'POST', path: '/api/v1/incidents', body: { pageId: 'uni-login', title: 'x', priority: 'A', componentIds: ['uni-idp'] } },
      { method: 'POST', path: `/api/v1/incidents/${incidentId}/updates`, body: { expectedVersion: 1, step: 'registered' } },
      { method: 'POST', path: `/api/v1/incidents/${incidentId}/acknowledge`, body: {} },
    ];
    const reads: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: `/api/v1/incidents/${incidentId}` },
      { method: 'GET', path: '/api/v1/auth/me' },
    ];

    it.each([...writes, ...reads])('$method $path answers 401 without credentials and changes nothing', async ({ method, path, body }) => {
      const before = (await test.handle.db.select().from(tables.auditLog)).length;
      const response = await call(method, path, { body });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
      expect((await test.handle.db.select().from(tables.auditLog)).length).toBe(before);
    });

    it.each(writes)('$method $path answers 403 to a viewer, to a session without its CSRF token, and to a token without the scope', async ({ method, path, body }) => {
      const viewer = await login('viewer@stil.example');
      expect((await call(method, path, { body, ...viewer })).status).toBe(403);
      const operator = await login('operator@stil.example');
      const noCsrf = await call(method, path, { body, cookie: operator.cookie });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.error.message).toMatch(/CSRF/);
      const [user] = await test.handle.db.select().from(tables.users);
      const readOnly = await createApiToken(test.handle.db, { userId: user!.id, label: 'dashboard', scopes: ['read'], now: clock });
      const scoped = await call(method, path, { body, bearer: readOnly.token });
      expect(scoped.status).toBe(403);
      expect(scoped.body.error.message).toBe('this token lacks the scope "incidents:write"');
    });

    it('answers 403 to the audit log for anyone but an admin', async () => {
      expect((await call('GET', '/api/v1/audit', await login('operator@stil.example'))).status).toBe(403);
      expect((await call('GET', '/api/v1/audit', await login('admin@stil.example'))).status).toBe(200);
    });
  });

  describe('organisation scoping, on every operator route and for every role', () => {
    // the organisation "stil" owns the page uni-login; these users belong to "elsewhere" only
    const roles = ['admin', 'operator', 'viewer'] as const;
    let foreign: { incident: string; window: string };
    beforeAll(async () => {
      for (const role of roles) await createUser(test.handle.db, { email: `${role}@elsewhere.example`, name: role, role, password: PASSWORD, organisationIds: ['elsewhere'] });
      const incident = await openIncident(test.handle.db, { pageId: 'uni-login', title: 'Stil only', priority: 'C', componentIds: ['uni-idp'], actor: 'system', now: clock });
      const [window] = await test.handle.db.insert(tables.serviceWindows).values({ componentIds: ['uni-idp'], title: 'Stil window', plannedStart: new Date('2026-04-01T20:00:00Z'), plannedEnd: new Date('2026-04-01T21:00:00Z'), announcedAt: clock, createdBy: 'ops' }).returning();
      foreign = { incident: incident.id, window: window!.id };
    });
    afterAll(async () => {
      await test.handle.db.delete(tables.serviceWindows).where((await import('drizzle-orm')).eq(tables.serviceWindows.id, foreign.window));
    });
    // written once, run for every route, reads and writes alike
    const routes = (): { method: string; path: string; body?: unknown; list?: true }[] => [
      { method: 'GET', path: '/api/v1/incidents', list: true },
      { method: 'GET', path: '/api/v1/audit?limit=1000', list: true },
      { method: 'GET', path: `/api/v1/incidents/${foreign.incident}` },
      { method: 'POST', path: '/api/v1/incidents', body: { pageId: 'uni-login', title: 'x', priority: 'C', componentIds: ['uni-idp'] } },
      { method: 'POST', path: `/api/v1/incidents/${foreign.incident}/updates`, body: { expectedVersion: 1, step: 'registered' } },
      { method: 'POST', path: `/api/v1/incidents/${foreign.incident}/acknowledge`, body: {} },
      { method: 'POST', path: '/api/v1/windows', body: { componentIds: ['uni-idp'], title: 'x', plannedStart: '2026-05-01T20:00:00Z', plannedEnd: '2026-05-01T21:00:00Z' } },
      { method: 'POST', path: `/api/v1/windows/${foreign.window}/changes`, body: { action: 'cancel' } },
      { method: 'POST', path: '/api/v1/exclusions', body: { componentIds: ['uni-idp'], start: '2026-03-01T00:00:00Z', end: '2026-03-01T01:00:00Z', reason: 'network_fault', note: 'not ours' } },
    ];
    const everyRouteAndRole = () => roles.flatMap((role) => routes().map((route) => ({ role, ...route })));

    it('shows and changes nothing of another organisation, by session or by token', async () => {
      const cases = everyRouteAndRole();
      expect(cases).toHaveLength(27);
      for (const { role, method, path, body, list } of cases) {
        const session = await login(`${role}@elsewhere.example`);
        const [user] = await test.handle.db.select().from(tables.users).where((await import('drizzle-orm')).eq(tables.users.email, `${role}@elsewhere.example`));
        const token = await createApiToken(test.handle.db, { userId: user!.id, label: 'all', scopes: ['read', 'incidents:write', 'windows:write', 'exclusions:write'], now: clock });
        for (const auth of [session, { bearer: token.token }]) {
          const audit = (await test.handle.db.select().from(tables.auditLog)).length;
          const response = await call(method, path, { body, ...auth });
          const where = `${role} ${method} ${path} via ${'bearer' in auth ? 'token' : 'session'}`;
          if (list && response.status === 200) {
            const text = JSON.stringify(response.body);
            expect(text, where).not.toContain(foreign.incident);
            expect(text, where).not.toContain('"stil"');
          } else {
            expect(response.status, where).toBe(403);
            expect(JSON.stringify(response.body), where).not.toContain('Stil only');
          }
          expect((await test.handle.db.select().from(tables.auditLog)).length, where).toBe(audit);
        }
      }
    });

    it('shows the same routes to the owning organisation (so the refusals above are about the organisation)', async () => {
      await createUser(test.handle.db, { email: 'admin@stil-only.example', name: 'Stil admin', role: 'admin', password: PASSWORD, organisationIds: ['stil'] });
      const stil = await login('admin@stil-only.example');
      expect(JSON.stringify((await call('GET', '/api/v1/incidents', stil)).body)).toContain(foreign.incident);
      expect((await call('GET', `/api/v1/incidents/${foreign.incident}`, stil)).status).toBe(200);
      const audit = await call('GET', '/api/v1/audit?limit=1000', stil);
      expect(audit.body.entries.map((e: any) => e.entityId)).toContain(foreign.incident);
    });
  });

  it('logs in with a Secure-ready HttpOnly SameSite=Strict cookie, refuses wrong passwords alike, and slows guessing', async () => {
    const ok = await call('POST', '/api/v1/auth/login', { body: { email: 'operator@stil.example', password: PASSWORD } });
    expect(ok.headers.get('set-cookie')).toMatch(/^sv_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    const wrong = await call('POST', '/api/v1/auth/login', { body: { email: 'operator@stil.example', password: 'not the password!' } });
    const nobody = await call('POST', '/api/v1/auth/login', { body: { email: 'nobody@stil.example', password: 'not the password!' } });
    expect([wrong.status, nobody.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe(nobody.body.error.message);
    const statuses: number[] = [];
    let last = wrong;
    for (let i = 0; i < 5; i++) {
      last = await call('POST', '/api/v1/auth/login', { body: { email: 'viewer@stil.example', password: `guess ${i} of many` } });
      statuses.push(last.status);
    }
    // five failures are free; each further one doubles the wait before the next try, and tries during the wait are not looked at
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const sixth = await call('POST', '/api/v1/auth/login', { body: { email: 'viewer@stil.example', password: 'guess 6 of many' } });
    expect(sixth.status).toBe(401);
    const early = await call('POST', '/api/v1/auth/login', { body: { email: 'viewer@stil.example', password: PASSWORD } });
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('1');
    // never a lockout: after the wait the owner's right password logs in, and the count starts again
    clock = new Date(clock.getTime() + 1000);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'viewer@stil.example', password: PASSWORD } })).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'viewer@stil.example', password: 'one more guess!' } })).status).toBe(401);
    clock = new Date(clock.getTime() - 1000);
  });

  it('grows the wait per account up to a ceiling, shared by every replica through the database', async () => {
    const other = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) }); // a second replica
    const waits: (number | null)[] = [];
    let at = new Date('2026-03-10T10:00:00Z');
    for (let i = 0; i < 12; i++) {
      clock = at;
      const replica = i % 2 === 0 ? app : other;
      const response = await replica.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-statusvakt-client-address': `192.0.2.${i}` }, body: JSON.stringify({ email: 'target@stil.example', password: `guess number ${i}` }) });
      expect(response.status).toBe(401);
      const [row] = await test.handle.db.select().from(tables.loginThrottle).where((await import('drizzle-orm')).eq(tables.loginThrottle.key, 'account:target@stil.example'));
      waits.push(row!.nextAllowedAt ? (row!.nextAllowedAt.getTime() - at.getTime()) / 1000 : null);
      at = new Date(at.getTime() + 60_000); // past any wait
    }
    // the other replica refuses an attempt during the wait the first one set
    const early = await other.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'target@stil.example', password: 'x is a guess' }) });
    expect(early.status).toBe(429);
    expect(waits).toEqual([null, null, null, null, null, 1, 2, 4, 8, 16, 30, 30]);
  });

  it('asks for the second factor once it is on', async () => {
    const [user] = await test.handle.db.select().from(tables.users).where((await import('drizzle-orm')).eq(tables.users.email, 'admin@stil.example'));
    const { secret } = await enableTotp(test.handle.db, user!.id);
    clock = new Date('2026-03-10T09:20:00Z'); // a new rate-limit window
    const without = await call('POST', '/api/v1/auth/login', { body: { email: 'admin@stil.example', password: PASSWORD } });
    expect(without.body.error.message).toMatch(/second factor/);
    const code = new TOTP({ secret, digits: 6, period: 30 }).generate({ timestamp: clock.getTime() });
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'admin@stil.example', password: PASSWORD, totp: code } })).status).toBe(200);
    // the same code again, within its step or the next: refused
    const again = await call('POST', '/api/v1/auth/login', { body: { email: 'admin@stil.example', password: PASSWORD, totp: code } });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toBe('this second-factor code has been used already; wait for the next one');
    clock = new Date(clock.getTime() + 30_000);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'admin@stil.example', password: PASSWORD, totp: code } })).status).toBe(401);
    const next = new TOTP({ secret, digits: 6, period: 30 }).generate({ timestamp: clock.getTime() });
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'admin@stil.example', password: PASSWORD, totp: next } })).status).toBe(200);
    await test.handle.db.update(tables.users).set({ totpSecret: null }).where((await import('drizzle-orm')).eq(tables.users.id, user!.id));
  });

  it('opens an incident, publishes the registered step from the template in every page language, and refuses a stale version', async () => {
    clock = new Date('2026-03-10T09:30:00Z'); // Tuesday 10:30 in Copenhagen
    const operator = await login('operator@stil.example');
    const opened = await call('POST', '/api/v1/incidents', { ...operator, body: { pageId: 'uni-login', title: { da: 'Login fejler', en: 'Sign-in fails' }, priority: 'A', componentIds: ['uni-idp'] } });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const registered = await call('POST', `/api/v1/incidents/${id}/updates`, { ...operator, body: { expectedVersion: 1, step: 'registered' } });
    expect(registered.status).toBe(201);
    expect(registered.body.update.body).toEqual({
      da: 'Vi har registreret et problem med Login (IdP) og undersøger det.',
      en: 'We have registered a problem with Sign-in (IdP) and are investigating.',
    });
    const stale = await call('POST', `/api/v1/incidents/${id}/updates`, { ...operator, body: { expectedVersion: 1, step: 'nature', body: { en: 'DNS at the provider' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('the incident changed since you read it (now version 2, you sent 1); reload it and publish again');
    const written = await call('POST', `/api/v1/incidents/${id}/updates`, { ...operator, body: { expectedVersion: 2, step: 'nature', body: { en: '<script>alert(1)</script> DNS at the provider' } } });
    expect(written.body.update.body.en).toBe('<script>alert(1)</script> DNS at the provider'); // stored as written; rendering escapes it
    const badLanguage = await call('POST', `/api/v1/incidents/${id}/updates`, { ...operator, body: { expectedVersion: 3, step: 'running_status', body: { fr: 'Bonjour' } } });
    expect(badLanguage.body.error.message).toBe('page "uni-login" has no language fr; it offers da, en');

    clock = new Date('2026-03-10T09:40:00Z');
    expect((await call('POST', `/api/v1/incidents/${id}/acknowledge`, operator)).status).toBe(200);
    const view = await call('GET', `/api/v1/incidents/${id}`, operator);
    // authentication, priority A: 15 minutes of covered time
    expect(view.body.reaction).toEqual({ dueAt: '2026-03-10T09:45:00.000Z', acknowledgedAt: '2026-03-10T09:40:00.000Z', state: 'fulfilled' });
    expect(view.body.communication.next).toEqual({ step: 'status_estimate', dueAt: '2026-03-10T11:00:00.000Z' });
    expect(view.body.communication.steps.slice(0, 2).map((s: any) => [s.step, s.state])).toEqual([
      ['registered', 'fulfilled'],
      ['nature', 'fulfilled'],
    ]);
    const audit = await call('GET', '/api/v1/audit?limit=20', await login('admin@stil.example'));
    // the logins in between are in the log too; the incident's own entries are these
    const incidentEntries = audit.body.entries.filter((e: any) => e.entity === 'incident');
    expect(incidentEntries.slice(0, 4).map((e: any) => [e.action, e.actor])).toEqual([
      ['incident.acknowledge', 'operator@stil.example'],
      ['incident.update', 'operator@stil.example'],
      ['incident.update', 'operator@stil.example'],
      ['incident.open', 'operator@stil.example'],
    ]);
    expect(incidentEntries[0].before.acknowledgedAt).toBeNull();
    expect(incidentEntries[0].after.acknowledgedAt).toBe('2026-03-10T09:40:00.000Z');
  });

  it('refuses an estimated fix before the incident was detected or already passed, naming both times, and publishes nothing', async () => {
    clock = new Date('2026-03-10T10:00:00Z');
    const operator = await login('operator@stil.example');
    const opened = await call('POST', '/api/v1/incidents', { ...operator, body: { pageId: 'uni-login', title: 'Estimates', priority: 'B', componentIds: ['uni-idp'] } });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    clock = new Date('2026-03-10T10:30:00Z');
    const publish = (estimatedFixAt: string) => call('POST', `/api/v1/incidents/${id}/updates`, { ...operator, body: { expectedVersion: 1, step: 'status_estimate', estimatedFixAt } });
    const beforeDetection = await publish('2026-03-10T09:50:00Z');
    expect(beforeDetection.status).toBe(400);
    expect(beforeDetection.body.error).toMatchObject({
      code: 'VALIDATION',
      message: 'estimatedFixAt 2026-03-10T09:50:00.000Z is before the incident was detected (2026-03-10T10:00:00.000Z); give a time after 2026-03-10T10:30:00.000Z',
      details: { field: 'estimatedFixAt', estimatedFixAt: '2026-03-10T09:50:00.000Z', earliest: '2026-03-10T10:30:00.000Z' },
    });
    const passed = await publish('2026-03-10T11:10:00+01:00');
    expect(passed.status).toBe(400);
    expect(passed.body.error.message).toBe('estimatedFixAt 2026-03-10T10:10:00.000Z has passed (it is now 2026-03-10T10:30:00.000Z); give a time after 2026-03-10T10:30:00.000Z');
    // nothing was published: the version read before is still the one to send
    expect((await call('GET', `/api/v1/incidents/${id}`, operator)).body.updates).toEqual([]);
    const ahead = await publish('2026-03-10T12:00:00Z');
    expect(ahead.status, JSON.stringify(ahead.body)).toBe(201);
    expect(ahead.body.update.estimatedFixAt).toBe('2026-03-10T12:00:00.000Z');
  });

  it('publishes incidents and service windows in Statuspage\'s shape', async () => {
    clock = new Date('2026-03-10T10:00:00Z');
    await test.handle.db.insert(tables.serviceWindows).values([
      { componentIds: ['uni-admin'], title: { da: 'Opgradering', en: 'Upgrade' }, plannedStart: new Date('2026-03-10T09:30:00Z'), plannedEnd: new Date('2026-03-10T11:00:00Z'), announcedAt: new Date('2026-02-01T00:00:00Z'), createdBy: 'ops' },
      { componentIds: ['uni-lookup'], title: 'Patch', plannedStart: new Date('2026-03-14T05:00:00Z'), plannedEnd: new Date('2026-03-14T07:00:00Z'), announcedAt: new Date('2026-02-01T00:00:00Z'), createdBy: 'ops' },
    ]);
    const unresolved = await call('GET', '/api/v2/incidents/unresolved.json?lang=en');
    const incident = unresolved.body.incidents.find((i: any) => i.name === 'Sign-in fails');
    // Statuspage's fields, and one more: the language the name is in (the asked one, or the page default where it was not written)
    expect(Object.keys(incident).sort()).toEqual(['components', 'created_at', 'id', 'impact', 'incident_updates', 'language', 'monitoring_at', 'name', 'page_id', 'resolved_at', 'shortlink', 'started_at', 'status', 'updated_at']);
    expect(incident.language).toBe('en');
    expect(incident).toMatchObject({ status: 'identified', impact: 'major', resolved_at: null, page_id: 'uni-login', components: [{ id: 'uni-idp', name: 'Sign-in (IdP)' }] });
    expect(incident.incident_updates.map((u: any) => [u.status, u.body])).toEqual([
      ['identified', '<script>alert(1)</script> DNS at the provider'],
      ['investigating', 'We have registered a problem with Sign-in (IdP) and are investigating.'],
    ]);
    expect(incident.incident_updates[0].affected_components).toEqual([{ code: 'uni-idp', name: 'Sign-in (IdP)', old_status: 'operational', new_status: 'major_outage' }]);
    const active = await call('GET', '/api/v2/scheduled-maintenances/active.json?lang=en');
    expect(active.body.scheduled_maintenances.map((m: any) => [m.name, m.status, m.impact, m.scheduled_for, m.scheduled_until])).toEqual([['Upgrade', 'in_progress', 'maintenance', '2026-03-10T09:30:00.000Z', '2026-03-10T11:00:00.000Z']]);
    const upcoming = await call('GET', '/api/v2/scheduled-maintenances/upcoming.json');
    expect(upcoming.body.scheduled_maintenances.map((m: any) => [m.name, m.status])).toEqual([['Patch', 'scheduled']]);
    const summary = await call('GET', '/api/v2/summary.json?lang=en');
    expect(summary.body.incidents.map((i: any) => i.id)).toContain(incident.id);
    expect(summary.body.scheduled_maintenances.map((m: any) => m.name)).toEqual(['Upgrade', 'Patch']);
    expect(summary.body.components.find((c: any) => c.id === 'uni-admin').status).toBe('under_maintenance');
    const own = await call('GET', '/api/v1/pages/uni-login/status');
    expect(own.body.groups[0].components.find((c: any) => c.id === 'uni-admin').inServiceWindow).toBe(true);
  });

  it('counts open incidents, overdue steps and reaction breaches in /metrics', async () => {
    clock = new Date('2026-03-10T12:00:00Z'); // 13:00 in Copenhagen: the estimate for the A incident (due 12:00 local) is overdue
    const text = await (await app.request('/metrics')).text();
    const value = (name: string, priority: string) => Number(new RegExp(`^${name}\\{page="uni-login",priority="${priority}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('statusvakt_open_incidents', 'A')).toBe(1);
    expect(value('statusvakt_communication_steps_overdue', 'A')).toBeGreaterThanOrEqual(1);
    expect(value('statusvakt_reaction_deadline_breaches', 'A')).toBe(0); // acknowledged within 15 minutes
    expect(value('statusvakt_open_incidents', 'D')).toBe(0);
  });

  it('counts reactions and communication steps per priority in the monthly report', async () => {
    const report = await call('GET', '/api/v1/sla/pages/uni-login/reports/2026-03');
    expect(report.status).toBe(200);
    // the A incident: reaction in time; registered and nature published in time, the estimate missed
    expect(report.body.incidents.A).toMatchObject({ incidents: 1, reaction: { fulfilled: 1, late: 0, missed: 0 }, communication: { fulfilled: 2, missed: 1 } });
    expect(report.body.incidents.D).toEqual({ incidents: 0, reaction: { fulfilled: 0, late: 0, missed: 0 }, communication: { fulfilled: 0, late: 0, missed: 0 } });
  });

  it('keeps operators to their own organisations', async () => {
    const outsider = await login('other@elsewhere.example');
    const response = await call('POST', '/api/v1/incidents', { ...outsider, body: { pageId: 'uni-login', title: 'x', priority: 'C', componentIds: ['uni-idp'] } });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe('you may not act for organisation "stil"');
  });

  it('counts deadlines in covered time across a weekend', async () => {
    // Friday 13 March 2026, 17:00 in Copenhagen: after school hours
    const incident = await openIncident(test.handle.db, { pageId: 'uni-login', title: 'Look-ups slow', priority: 'B', componentIds: ['uni-lookup'], actor: 'system', now: new Date('2026-03-13T16:00:00Z') });
    const view = await incidentView(test.handle.db, { id: incident.id, actor: 'system', now: new Date('2026-03-14T10:00:00Z') });
    // look-ups, priority B: 60 minutes of covered time → Monday 09:00; registered step due Monday 08:15
    expect(view.reaction).toMatchObject({ dueAt: '2026-03-16T08:00:00.000Z', state: 'pending' });
    expect(view.communication.next).toEqual({ step: 'registered', dueAt: '2026-03-16T07:15:00.000Z' });
  });

  it('opens, widens, reopens when flapping and closes incidents from the quorum state', async () => {
    const db = test.handle.db;
    const state = async (componentId: string, s: 'up' | 'down' | 'degraded', at: string) => {
      const { and, eq, isNull } = await import('drizzle-orm');
      await db.update(tables.stateIntervals).set({ endedAt: new Date(at) }).where(and(eq(tables.stateIntervals.componentId, componentId), isNull(tables.stateIntervals.endedAt)));
      await db.insert(tables.stateIntervals).values({ componentId, state: s, startedAt: new Date(at) });
    };
    const automatic = async () => (await db.select().from(tables.incidents)).filter((i) => i.automatic);

    await state('uni-admin', 'degraded', '2026-03-20T09:00:00Z');
    await syncAutomaticIncidents(db, new Date('2026-03-20T09:00:05Z'));
    let [incident] = await automatic();
    expect(incident).toMatchObject({ priority: 'B', componentIds: ['uni-admin'], status: 'investigating', resolvedAt: null });
    const updates = await db.select().from(tables.incidentUpdates).where((await import('drizzle-orm')).eq(tables.incidentUpdates.incidentId, incident!.id));
    expect(updates.map((u) => [u.step, u.author])).toEqual([['registered', 'system']]);

    await state('uni-extracts', 'down', '2026-03-20T09:01:00Z');
    await syncAutomaticIncidents(db, new Date('2026-03-20T09:01:05Z'));
    [incident] = await automatic();
    expect(incident).toMatchObject({ priority: 'A', componentIds: ['uni-admin', 'uni-extracts'] }); // widened and raised, not a second incident

    await state('uni-admin', 'up', '2026-03-20T09:10:00Z');
    await state('uni-extracts', 'up', '2026-03-20T09:10:00Z');
    await syncAutomaticIncidents(db, new Date('2026-03-20T09:12:00Z'));
    expect((await automatic())[0]!.resolvedAt).toBeNull(); // up for 2 minutes only
    await syncAutomaticIncidents(db, new Date('2026-03-20T09:15:30Z'));
    expect((await automatic())[0]).toMatchObject({ status: 'resolved', resolvedAt: new Date('2026-03-20T09:15:30Z') });

    // flapping: down again 5 minutes later reopens the same incident
    await state('uni-extracts', 'down', '2026-03-20T09:20:00Z');
    await syncAutomaticIncidents(db, new Date('2026-03-20T09:20:05Z'));
    const all = await automatic();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'investigating', resolvedAt: null });
  });
});

describe('automatic "registered" message, per page', () => {
  it('is not published where the page turns it off', async () => {
    const { testConfig } = await import('./support/fixtures.ts');
    const test = await createTestDatabase('pglite');
    try {
      const config = testConfig();
      config.pages[0]!.autoPublishRegistered = false;
      await syncConfig(test.handle.db, config, new Date('2026-03-01T00:00:00Z'));
      await test.handle.db.insert(tables.stateIntervals).values({ componentId: 'sso', state: 'down', startedAt: new Date('2026-03-01T10:00:00Z') });
      await syncAutomaticIncidents(test.handle.db, new Date('2026-03-01T10:00:05Z'));
      const [incident] = await test.handle.db.select().from(tables.incidents);
      expect(incident).toMatchObject({ priority: 'A', automatic: true, componentIds: ['sso'] });
      expect(await test.handle.db.select().from(tables.incidentUpdates)).toEqual([]);
    } finally {
      await test.drop();
    }
  });
});
