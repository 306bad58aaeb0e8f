import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createProbeToken, type App } from '../api/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { CONTRACT_VERSION, FAILURE_REASONS, RESULT_LIMITS } from '../probe/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

// A fixed number of cases, so CI time is bounded; fast-check prints the seed of a failing run to replay it.
const RUNS = 40;
const NOW = new Date('2026-11-21T12:00:00Z');

const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength }).filter((s) => !s.includes('\u0000') && s.isWellFormed());
const ms = fc.double({ min: 0, max: RESULT_LIMITS.maxDurationMs, noNaN: true });
const instant = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString());

/** Results the contract takes and the API must store: any text, number or instant within the limits. */
const validResult = fc.record(
  {
    id: fc.uuid(),
    componentId: fc.constantFrom('sso', 'portal', 'mfa'),
    checkId: fc.constant('https'),
    regionId: fc.constant('north'),
    startedAt: instant('2026-11-01T00:00:00Z', '2026-11-21T12:04:00Z'),
    outcome: fc.constantFrom('up', 'degraded', 'down', 'unknown'),
    reason: fc.constantFrom(...FAILURE_REASONS),
    durationMs: ms,
    httpStatus: fc.integer({ min: 100, max: 599 }),
    phasesMs: fc.record({ dns: ms, connect: ms, tls: ms, firstByte: ms, transfer: ms }, { requiredKeys: [] }),
    message: text(RESULT_LIMITS.maxMessageChars),
    certificate: fc.record({
      subject: text(200),
      issuer: text(200),
      subjectAltNames: fc.array(text(RESULT_LIMITS.maxAltNameChars), { maxLength: 5 }),
      notBefore: instant('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
      notAfter: instant('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
      sha256Fingerprint: text(RESULT_LIMITS.maxFingerprintChars),
      chainVerified: fc.boolean(),
    }),
  },
  { requiredKeys: ['id', 'componentId', 'checkId', 'regionId', 'startedAt', 'outcome', 'durationMs'] },
);

/** A valid result spoiled in one field, the way a bad upstream or a bug would. */
const spoiled = fc
  .tuple(
    validResult,
    fc.constantFrom<[string, unknown][]>(
      [['message', 'a\u0000b']],
      [['message', 'x\ud800y']],
      [['message', 'x'.repeat(501)]],
      [['durationMs', 1e39]],
      [['durationMs', -1]],
      [['durationMs', 'fast']],
      [['startedAt', 'yesterday']],
      [['startedAt', '0000-01-01T00:00:00Z']],
      [['startedAt', '2099-01-01T00:00:00Z']],
      [['id', 'not-a-uuid']],
      [['componentId', 'ghost']],
      [['regionId', 'south']],
      [['outcome', 'fine']],
      [['httpStatus', 42]],
      [['phasesMs', { tls: Number.MAX_VALUE }]],
      [['certificate', { subject: 'CN=\u0000' }]],
    ),
  )
  .map(([result, edits]) => ({ ...result, ...Object.fromEntries(edits) }));

/** Anything at all where a result belongs. */
const junk = fc.oneof(fc.jsonValue(), spoiled);

describe.each(DRIVERS)('probe ingest contract under fuzzing on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  let token: string;
  const post = async (body: string) => {
    const response = await app.request('http://api/api/v1/probe/results', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    return { status: response.status, text: await response.text() };
  };
  const noStackTrace = (body: string) => expect(body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|TypeError|stack/);

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), NOW);
    app = buildApp({ database: test.handle, now: () => NOW, logger: pino({ level: 'silent' }) });
    token = (await createProbeToken(test.handle.db, { regionId: 'north', now: NOW })).token;
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('stores every valid result and rejects every invalid one with a reason, never a 5xx', async () => {
    const entry = fc.oneof({ weight: 2, arbitrary: validResult.map((value) => ({ valid: true, value: value as unknown })) }, { weight: 1, arbitrary: junk.map((value) => ({ valid: false, value: value as unknown })) });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 20 }), async (entries) => {
        const { status, text } = await post(JSON.stringify({ version: CONTRACT_VERSION, regionId: 'north', results: entries.map((e) => e.value) }));
        expect([200, 422]).toContain(status);
        noStackTrace(text);
        const report = JSON.parse(text) as { accepted: number; duplicates: number; rejected: { index: number; reason: string }[] };
        expect(report.accepted + report.duplicates + report.rejected.length).toBe(entries.length);
        const rejected = new Map(report.rejected.map((r) => [r.index, r.reason]));
        entries.forEach((e, index) => {
          if (e.valid) expect(rejected.has(index), `valid result ${index} was rejected: ${rejected.get(index)}`).toBe(false);
          else {
            expect(rejected.has(index), `invalid result ${index} was accepted: ${JSON.stringify(e.value)}`).toBe(true);
            expect(rejected.get(index)!.length).toBeGreaterThan(3);
          }
        });
        const validIds = entries.filter((e) => e.valid).map((e) => (e.value as { id: string }).id);
        if (validIds.length > 0) {
          const stored = await test.handle.db.select({ id: tables.checkResults.id }).from(tables.checkResults).where(inArray(tables.checkResults.id, validIds));
          expect(new Set(stored.map((r) => r.id))).toEqual(new Set(validIds));
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('answers any body with a 4xx and a reason, never a 5xx or a stack trace', async () => {
    const body = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({ version: fc.jsonValue(), regionId: fc.jsonValue(), results: fc.jsonValue() }).map((v) => JSON.stringify(v)),
      fc.array(junk, { maxLength: 5 }).map((results) => JSON.stringify({ version: CONTRACT_VERSION, regionId: 'north', results })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const { status, text } = await post(raw);
        expect(status, text).toBeLessThan(500);
        noStackTrace(text);
        const parsed = JSON.parse(text) as { error?: { message?: string }; rejected?: unknown[] };
        if (status >= 400 && status !== 422) expect(parsed.error?.message).toEqual(expect.any(String));
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
