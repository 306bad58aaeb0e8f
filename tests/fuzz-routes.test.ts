import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, type App } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';
// a fixed seed and count, so a CI run is repeatable; a failure prints the seed and the shrunk case
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/** Every public and operator route, with `:x` where fuzzed text goes. */
const ROUTES: [string, string][] = [
  ['GET', '/api/v1/pages/:x/status'],
  ['GET', '/pages/:x/api/v2/summary.json'],
  ['GET', '/api/v2/:x'],
  ['GET', '/api/v1/sla/pages/:x/reports/:x'],
  ['GET', '/api/v1/sla/pages/uni-login/reports/:x'],
  ['GET', '/api/v1/sla/statements/component/:x/:x'],
  ['GET', '/api/v1/sla/statements/:x/:x/2026-01'],
  ['GET', '/api/v1/incidents/:x'],
  ['GET', '/api/v1/audit?limit=:x'],
  ['POST', '/api/v1/auth/login'],
  ['POST', '/api/v1/incidents'],
  ['POST', '/api/v1/incidents/:x/updates'],
  ['POST', '/api/v1/incidents/:x/acknowledge'],
  ['POST', '/api/v1/windows'],
  ['POST', '/api/v1/windows/:x/changes'],
  ['POST', '/api/v1/exclusions'],
  ['GET', '/api/v1/:x'],
];

/** Percent-encodes any text, lone surrogates included (as the bytes a careless client would send). */
const encode = (text: string) => [...text].map((ch) => { try { return encodeURIComponent(ch); } catch { return '%ED%A0%80'; } }).join('');

const segment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('uni-login', 'uni-idp', '2026-01', '0000', '0001-01', '1200', '9999-99', '-'.repeat(36), '00000000-0000-4000-8000-000000000001', '..', 'component', 'category'),
  // the bytes that broke things before: NUL and unpaired surrogates
  fc.constantFrom('\u0000', 'uni-login\u0000', '\ud800', 'x\udfffy'),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.record({ pageId: segment, title: segment, priority: fc.constantFrom('A', 'B', 'Z'), componentIds: fc.array(segment, { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
  fc.record({ componentIds: fc.array(segment, { maxLength: 3 }), start: segment, end: segment, reason: segment, note: segment, plannedStart: segment, plannedEnd: segment, title: segment }).map((v) => JSON.stringify(v)),
  fc.record({ email: segment, password: segment, totp: segment }).map((v) => JSON.stringify(v)),
);

describe('fuzzed requests to every public and operator route', () => {
  let test: TestDatabase;
  let app: App;
  let auth: Record<string, string>;
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const parsed = parseConfig(readFileSync(new URL('../config/examples/uni-login.yaml', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(test.handle.db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => new Date('2026-03-10T09:00:00Z'), logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'admin@stil.example', name: 'Admin', role: 'admin', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@stil.example', password: PASSWORD }) });
    auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
  });
  afterAll(async () => {
    await test?.drop();
  });

  it(`never answers 5xx or shows a stack trace (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 2, maxLength: 2 }), body, fc.boolean(), async ([method, template], [a, b], text, loggedIn) => {
        let n = 0;
        const path = template.replace(/:x/g, () => encode(n++ === 0 ? a! : b!));
        const response = await app.request(`http://status.test${path}`, { method, headers: { 'content-type': 'application/json', ...(loggedIn ? auth : {}) }, ...(method === 'POST' ? { body: text } : {}) });
        const answer = await response.text();
        expect(response.status, `${method} ${path} ${text.slice(0, 80)}`).toBeLessThan(500);
        expect(answer).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
