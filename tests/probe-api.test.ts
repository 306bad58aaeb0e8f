import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, revokeProbeToken, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { CONTRACT_VERSION } from '../probe/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

describe.each(DRIVERS)('probe API on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let north: string;
  let south: string;
  const call = async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.request(`http://api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const batch = (regionId: string, results: unknown[]) => ({ version: CONTRACT_VERSION, regionId, results });

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), NOW);
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
    north = (await createProbeToken(test.handle.db, { regionId: 'north', now: NOW })).token;
    south = (await createProbeToken(test.handle.db, { regionId: 'south', label: 'Oslo DC', now: NOW })).token;
  });
  afterAll(async () => {
    await test?.drop();
  });

  // Written once, run for every probe route.
  const routes = [
    { method: 'GET', path: '/api/v1/probe/assignment' },
    { method: 'POST', path: '/api/v1/probe/results', body: { version: CONTRACT_VERSION, regionId: 'north', results: [{}] } },
  ];
  describe.each(routes)('$method $path', ({ method, path, body }) => {
    it.each([
      ['no token', undefined, /send the probe token as "Authorization: Bearer svp_…"/],
      ['a malformed token', 'hello', /send the probe token/],
      ['an unknown token', `svp_000000000000_${'A'.repeat(43)}`, /unknown probe token/],
    ])('answers 401 with %s', async (_name, token, message) => {
      const response = await call(method, path, token, body);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
      expect(response.body.error.message).toMatch(message);
    });

    it('answers 401 to a revoked token', async () => {
      const issued = await createProbeToken(test.handle.db, { regionId: 'north', now: NOW });
      await revokeProbeToken(test.handle.db, { id: issued.id, now: NOW });
      const response = await call(method, path, issued.token, body);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe(`probe token ${issued.id} was revoked at ${NOW.toISOString()}`);
    });
  });

  it("hands a probe its region's checks, and 304 while they are unchanged", async () => {
    const first = await call('GET', '/api/v1/probe/assignment', north);
    expect(first.status).toBe(200);
    expect(first.body.regionId).toBe('north');
    expect(first.body.checks.map((c: any) => c.componentId)).toEqual(['mfa', 'portal', 'sso']);
    const southChecks = await call('GET', '/api/v1/probe/assignment', south);
    expect(southChecks.body.checks.map((c: any) => c.componentId)).toEqual(['portal', 'sso']); // mfa runs in north only
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${first.body.revision}"`);
    const again = await call('GET', '/api/v1/probe/assignment', north, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('stores the good results of a batch and says why each bad one was rejected', async () => {
    const good = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:59:00Z' });
    const response = await call('POST', '/api/v1/probe/results', north, batch('north', [good, { id: 'x' }, result({ componentId: 'ghost', regionId: 'north', startedAt: '2026-11-21T11:59:00Z' })]));
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(1);
    expect(response.body.rejected.map((r: any) => [r.index, r.reason])).toEqual([
      [1, expect.stringMatching(/^id: /)],
      [2, 'unknown check "https" of component "ghost"'],
    ]);
    const replay = await call('POST', '/api/v1/probe/results', north, batch('north', [good]));
    expect(replay.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  // Third-party text and probe arithmetic can carry anything; one such result must not sink its batch.
  const poisoned: [string, Record<string, unknown>, RegExp][] = [
    ['a NUL byte in the message', { message: 'Login\u0000 service: major_outage' }, /^message: .*NUL/],
    ['a lone UTF-16 surrogate in the message', { message: 'Login \ud800 service' }, /^message: .*surrogate/],
    ['a NUL byte in a certificate subject', { certificate: { subject: 'CN=a\u0000b', issuer: 'CN=ca', subjectAltNames: [], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', sha256Fingerprint: 'AB', chainVerified: true } }, /^certificate\.subject: .*NUL/],
    ['an absurd duration', { durationMs: 1e39 }, /^durationMs: /],
    ['an absurd phase time', { phasesMs: { connect: 1e39 } }, /^phasesMs\.connect: /],
    ['a start in 1970 (a reset clock)', { startedAt: '1970-01-01T00:00:00Z' }, /before the year 2000; check the probe's clock/],
    ['a start in year 0', { startedAt: '0000-01-01T00:00:00Z' }, /^startedAt: /],
    ['a certificate expiry in year 0', { certificate: { subject: 'CN=a', issuer: 'CN=ca', subjectAltNames: [], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '0000-01-01T00:00:00.000Z', sha256Fingerprint: 'AB', chainVerified: true } }, /^certificate\.notAfter: /],
    ['an over-long certificate issuer', { certificate: { subject: 'CN=a', issuer: 'x'.repeat(5000), subjectAltNames: [], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', sha256Fingerprint: 'AB', chainVerified: true } }, /^certificate\.issuer: /],
    ['too many subject alternative names', { certificate: { subject: 'CN=a', issuer: 'CN=ca', subjectAltNames: Array.from({ length: 5000 }, (_, i) => `DNS:h${i}.example`), notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', sha256Fingerprint: 'AB', chainVerified: true } }, /^certificate\.subjectAltNames: /],
  ];
  it.each(poisoned)('rejects a result with %s and stores the rest of its batch', async (_name, fields, reason) => {
    const before = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:58:00Z' });
    const bad = { ...result({ componentId: 'portal', regionId: 'north', startedAt: '2026-11-21T11:58:00Z' }), ...fields };
    const after = result({ componentId: 'portal', regionId: 'north', startedAt: '2026-11-21T11:58:30Z' });
    const response = await call('POST', '/api/v1/probe/results', north, batch('north', [before, bad, after]));
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.rejected).toEqual([{ index: 1, id: bad.id, reason: expect.stringMatching(reason) }]);
  });

  it('stores what the contract takes even where the columns are narrower: a tiny duration, a far offset', async () => {
    const tiny = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:57:00Z', durationMs: 1e-50 });
    const farOffset = result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-22T11:56:00+23:59' });
    const response = await call('POST', '/api/v1/probe/results', north, batch('north', [tiny, farOffset]));
    expect(response.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  it('rejects only the result the database refuses, and stores the rest', async () => {
    // a refusal the contract cannot foresee, made by the database itself (SQLSTATE class 22: the value is at fault)
    await test.handle.db.execute(sql.raw(`
      create function refuse_marked() returns trigger language plpgsql as $$
      begin
        if new.message = 'refuse me' then raise exception 'this value is refused' using errcode = '22023'; end if;
        return new;
      end $$`));
    await test.handle.db.execute(sql.raw('create trigger refuse_marked before insert on check_results for each row execute function refuse_marked()'));
    try {
      const results = [0, 1, 2].map((i) => result({ componentId: 'portal', regionId: 'north', startedAt: `2026-11-21T11:5${i}:10Z`, ...(i === 1 ? { message: 'refuse me' } : {}) }));
      const response = await call('POST', '/api/v1/probe/results', north, batch('north', results));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, id: results[1]!.id, reason: 'the database cannot store this result: this value is refused' }] });
    } finally {
      await test.handle.db.execute(sql.raw('drop trigger refuse_marked on check_results'));
      await test.handle.db.execute(sql.raw('drop function refuse_marked()'));
    }
  });

  it('answers 422 when every result is rejected', async () => {
    const response = await call('POST', '/api/v1/probe/results', north, batch('north', [result({ componentId: 'sso', regionId: 'north', startedAt: '2030-01-01T00:00:00Z' })]));
    expect(response.status).toBe(422);
    expect(response.body.rejected[0].reason).toMatch(/is in the future/);
  });

  it("refuses a batch for another region than the token's", async () => {
    const response = await call('POST', '/api/v1/probe/results', south, batch('north', [result({ componentId: 'sso', regionId: 'north', startedAt: '2026-11-21T11:59:00Z' })]));
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe('this token writes for region "south", not "north"');
  });

  it.each([
    ['not JSON', '{"version": 1, "regi', 400, /invalid request|JSON/i],
    ['an unknown contract version', { version: 99, regionId: 'north', results: [{}] }, 400, /version/],
    ['an empty batch', { version: CONTRACT_VERSION, regionId: 'north', results: [] }, 400, /results/],
    ['too many results', { version: CONTRACT_VERSION, regionId: 'north', results: Array.from({ length: 1001 }, () => ({})) }, 400, /results/],
  ])('answers %s with a clear 400', async (_name, body, status, message) => {
    const response = await call('POST', '/api/v1/probe/results', north, body);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
  });

  it('answers an oversized body with 413', async () => {
    const huge = { version: CONTRACT_VERSION, regionId: 'north', results: [{ message: 'x'.repeat(2 * 1024 * 1024) }] };
    const response = await call('POST', '/api/v1/probe/results', north, huge);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  describe('compressed batches', () => {
    const post = (body: BodyInit, encoding: string) =>
      app.request('http://api/api/v1/probe/results', { method: 'POST', headers: { authorization: `Bearer ${north}`, 'content-type': 'application/json', 'content-encoding': encoding }, body });

    it('takes a gzip batch as it takes plain JSON, and counts its replay as duplicates', async () => {
      const results = Array.from({ length: 50 }, (_, i) => result({ componentId: 'sso', regionId: 'north', startedAt: new Date(NOW.getTime() - (i + 1) * 1000).toISOString() }));
      const packed = gzipSync(JSON.stringify(batch('north', results)));
      const first = await post(packed, 'gzip');
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: 50, duplicates: 0, rejected: [] });
      expect(await (await post(packed, 'GZIP')).json()).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
    });

    it('refuses another encoding with 415, a body that is not gzip with 400, and a bomb with 413', async () => {
      const other = await post(JSON.stringify(batch('north', [])), 'br');
      expect(other.status).toBe(415);
      expect(((await other.json()) as { error: { message: string } }).error.message).toBe('Content-Encoding "br" is not taken; send gzip or no encoding');
      const broken = await post('not gzip at all', 'gzip');
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/^the body is not valid gzip: /);
      // 64 MiB of zeros packs into about 64 KB: unpacking stops at the limit
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const refused = await post(bomb, 'gzip');
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('request body over 16777216 bytes once unpacked');
    });
  });
});
