import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, buildApp, createApiToken, enableTotp, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';
const CONFIG = `
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune }, { id: region, name: Region Nord }]
pages:
  - id: kommune-status
    organisation: kommune
    name: Kommune
    groups: [{ id: g, name: G, components: [{ id: sso, name: SSO, checks: [{ kind: https, url: "https://sso.example.dk/" }] }] }]
  - id: region-status
    organisation: region
    name: Region
    groups: [{ id: r, name: R, components: [{ id: epj, name: EPJ, checks: [{ kind: https, url: "https://epj.example.dk/" }] }] }]
`;

describe.each(DRIVERS)('administering accounts on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const clock = new Date('2026-03-10T09:00:00Z');
  const call = async (method: string, path: string, options: { body?: unknown; cookie?: string; csrf?: string; bearer?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    const response = await app.request(`http://status.test${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const login = async (email: string, password = PASSWORD) => {
    const response = await call('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: response.body.csrfToken as string };
  };
  const idOf = async (email: string) => (await test.handle.db.select().from(tables.users)).find((u) => u.email === email)!.id;
  const audit = async () => test.handle.db.select().from(tables.auditLog);

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, clock);
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    const add = (email: string, role: 'admin' | 'operator' | 'viewer', organisations: string[] | 'all') => addUser(test.handle.db, { email, name: email.split('@')[0]!, role, password: PASSWORD, organisations, actor: 'command line', now: clock });
    await add('root@kommune.example', 'admin', 'all');
    await add('admin@kommune.example', 'admin', ['kommune']);
    await add('op@kommune.example', 'operator', ['kommune']);
    await add('op@region.example', 'operator', ['region']);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('refuses an organisation that does not exist, by name, listing the ones there are, and an empty list', async () => {
    const attempt = (organisations: string[]) => addUser(test.handle.db, { email: 'x@kommune.example', name: 'X', role: 'viewer', password: PASSWORD, organisations, actor: 'command line', now: clock });
    await expect(attempt(['kommune', 'kommunen'])).rejects.toThrow('no organisation "kommunen"; there are: "kommune" (Kommune), "region" (Region Nord)');
    await expect(attempt([])).rejects.toThrow(/at least one organisation, or ask for all organisations explicitly/);
    expect((await test.handle.db.select().from(tables.users)).some((u) => u.email === 'x@kommune.example')).toBe(false);
    const root = await login('root@kommune.example');
    const viaApi = await call('POST', '/api/v1/users', { ...root, body: { email: 'y@kommune.example', name: 'Y', role: 'viewer', organisations: ['nowhere'] } });
    expect(viaApi.status).toBe(400);
    expect(viaApi.body.error.message).toContain('no organisation "nowhere"');
    const missing = await call('POST', '/api/v1/users', { ...root, body: { email: 'y@kommune.example', name: 'Y', role: 'viewer' } });
    expect(missing.status).toBe(400);
  });

  it('lists accounts to administrators only, an organisation\'s administrator seeing its own', async () => {
    expect((await call('GET', '/api/v1/users', await login('op@kommune.example'))).status).toBe(403);
    expect((await call('GET', '/api/v1/users')).status).toBe(401);
    const all = await call('GET', '/api/v1/users', await login('root@kommune.example'));
    expect(all.status).toBe(200);
    expect(all.body.users.map((u: { email: string }) => u.email)).toEqual(['admin@kommune.example', 'op@kommune.example', 'op@region.example', 'root@kommune.example']);
    expect(JSON.stringify(all.body)).not.toMatch(/scrypt|passwordHash|totpSecret/);
    const scoped = await call('GET', '/api/v1/users', await login('admin@kommune.example'));
    expect(scoped.body.users.map((u: { email: string }) => u.email)).toEqual(['admin@kommune.example', 'op@kommune.example']);
    // another organisation's account is not found, not merely forbidden
    const outside = await call('POST', `/api/v1/users/${await idOf('op@region.example')}/disable`, await login('admin@kommune.example'));
    expect(outside.status).toBe(404);
    expect((await call('POST', '/api/v1/users/not-a-uuid/disable', await login('root@kommune.example'))).status).toBe(404);
  });

  it('disables an account: no login, its session and API token refused at once; enabling lets it log in again', async () => {
    const session = await login('op@kommune.example');
    const userId = await idOf('op@kommune.example');
    const token = await createApiToken(test.handle.db, { userId, label: 'ci', scopes: ['read'], now: clock });
    expect((await call('GET', '/api/v1/auth/me', session)).status).toBe(200);
    expect((await call('GET', '/api/v1/incidents', { bearer: token.token })).status).toBe(200);

    const admin = await login('admin@kommune.example');
    const disabled = await call('POST', `/api/v1/users/${userId}/disable`, admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabledAt).toBe(clock.toISOString());
    expect((await call('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await call('GET', '/api/v1/incidents', { bearer: token.token })).status).toBe(401);
    const refused = await call('POST', '/api/v1/auth/login', { body: { email: 'op@kommune.example', password: PASSWORD } });
    expect(refused.status).toBe(401);

    expect((await call('POST', `/api/v1/users/${userId}/enable`, admin)).status).toBe(200);
    await login('op@kommune.example');
    // the session ended by disabling stays ended
    expect((await call('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await call('POST', `/api/v1/users/${await idOf('admin@kommune.example')}/disable`, admin)).body.error.message).toBe('you cannot disable your own account');
  });

  it('resets a password (ending the sessions) and the second factor, and removes an account', async () => {
    const userId = await idOf('op@region.example');
    const before = await login('op@region.example');
    await enableTotp(test.handle.db, userId);
    const root = await login('root@kommune.example');
    const reset = await call('POST', `/api/v1/users/${userId}/reset-password`, root);
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^[\w-]{24}$/);
    expect((await call('GET', '/api/v1/auth/me', before)).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { body: { email: 'op@region.example', password: PASSWORD } })).status).toBe(401);
    // the second factor is on: the new password alone is not enough, until it is reset
    const needsCode = await call('POST', '/api/v1/auth/login', { body: { email: 'op@region.example', password: reset.body.password } });
    expect(needsCode.body.error.message).toMatch(/second factor/);
    const totpOff = await call('POST', `/api/v1/users/${userId}/reset-totp`, root);
    expect(totpOff.body.user.secondFactor).toBe(false);
    await login('op@region.example', reset.body.password);
    const weak = await call('POST', `/api/v1/users/${userId}/reset-password`, { ...root, body: { password: 'short' } });
    expect(weak.status).toBe(400);

    const removed = await call('DELETE', `/api/v1/users/${userId}`, root);
    expect(removed.status).toBe(200);
    expect((await test.handle.db.select().from(tables.users)).some((u) => u.id === userId)).toBe(false);
    expect((await call('DELETE', `/api/v1/users/${userId}`, root)).status).toBe(404);
  });

  it('writes logins, failed logins, logouts and account changes to the audit log, scoped by organisation', async () => {
    await call('POST', '/api/v1/auth/login', { body: { email: 'op@kommune.example', password: 'wrong password entirely' } });
    await call('POST', '/api/v1/auth/login', { body: { email: 'nobody@nowhere.example', password: 'wrong password entirely' } });
    const session = await login('op@kommune.example');
    expect((await call('POST', '/api/v1/auth/logout', session)).status).toBe(204);
    const entries = await audit();
    const of = (action: string, who: string) => entries.filter((e) => e.action === action && e.entityId === who);
    expect(of('login.failed', 'op@kommune.example').at(-1)).toMatchObject({ actor: 'op@kommune.example', organisationId: 'kommune', after: { reason: 'wrong e-mail or password' } });
    expect(of('login.failed', 'nobody@nowhere.example').at(-1)).toMatchObject({ organisationId: null });
    expect(of('login', 'op@kommune.example').at(-1)).toMatchObject({ actor: 'op@kommune.example', organisationId: 'kommune' });
    expect(of('logout', 'op@kommune.example')).toHaveLength(1);
    expect(of('user.disable', 'op@kommune.example').at(-1)).toMatchObject({ actor: 'admin@kommune.example', organisationId: 'kommune' });
    expect(of('user.remove', 'op@region.example').at(-1)).toMatchObject({ actor: 'root@kommune.example', organisationId: 'region' });
    expect(of('user.add', 'root@kommune.example').at(-1)).toMatchObject({ actor: 'command line', organisationId: null });

    // the kommune administrator sees the kommune accounts' logins, not the region's or an unknown e-mail's
    const scoped = (await call('GET', '/api/v1/audit?limit=1000', await login('admin@kommune.example'))).body.entries as { action: string; entityId: string; organisationId: string | null }[];
    expect(scoped.some((e) => e.action === 'logout' && e.entityId === 'op@kommune.example')).toBe(true);
    expect(scoped.every((e) => e.organisationId === 'kommune')).toBe(true);
    expect(scoped.some((e) => e.entityId === 'op@region.example' || e.entityId === 'nobody@nowhere.example')).toBe(false);
  });
});
