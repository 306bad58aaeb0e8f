import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestResults } from '../api/index.ts';
import { jsonbText } from '../api/ingest/certificate-keys.ts';
import { rowsOf, syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
/** Text a certificate may carry that JSON and PostgreSQL escape: quotes, backslashes, control characters, letters outside ASCII, a line separator. */
const certificates = [
  { subject: 'CN=portal.example.dk', issuer: 'CN=CA', subjectAltNames: ['DNS:portal.example.dk'], notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-02-01T00:00:00Z', sha256Fingerprint: 'AB:CD', chainVerified: true },
  {
    subject: 'CN="Kommune\\Øst"\t\n\r\b\f\u0001\u001f\u007f',
    issuer: 'O=Ærø Kommune, CN=Sikker 🔒 CA\u2028',
    subjectAltNames: [],
    notBefore: '2026-01-01T00:00:00Z',
    notAfter: '2027-02-01T00:00:00Z',
    sha256Fingerprint: '00:FF',
    chainVerified: false,
    verifyError: 'unable to get local issuer certificate',
  },
];

describe.each(DRIVERS)('certificates kept by key on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('names a certificate by the hash of its JSON as the database writes it, so keys made before and now agree', async () => {
    const { db } = test.handle;
    const batch = certificates.map((certificate, i) => result({ componentId: 'portal', regionId: 'north', startedAt: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(), certificate }));
    expect((await ingestResults(db, { regionId: 'north', results: batch, now: NOW })).accepted).toBe(2);
    const rows = rowsOf<{ sha256: string; text: string; hashed: string }>(
      await db.execute(sql`select sha256, certificate::text as text, encode(sha256(convert_to(certificate::text, 'UTF8')), 'hex') as hashed from certificates order by certificate ->> 'sha256Fingerprint'`),
    );
    expect(rows.map((r) => r.sha256)).toEqual(rows.map((r) => r.hashed));
    expect(rows.map((r) => r.text)).toEqual([certificates[1], certificates[0]].map((c) => jsonbText(c)));
  });

  it('stores each certificate once, sent again in any key order, and every result names a stored one', async () => {
    const { db } = test.handle;
    const reordered = certificates.map((c) => Object.fromEntries(Object.entries(c).reverse()) as typeof c);
    for (let round = 0; round < 3; round++) {
      const batch = [...certificates, ...reordered].map((certificate, i) =>
        result({ componentId: 'portal', regionId: 'north', startedAt: new Date(NOW.getTime() - (10 + round * 4 + i) * 60_000).toISOString(), certificate }),
      );
      expect((await ingestResults(db, { regionId: 'north', results: batch, now: NOW })).accepted).toBe(4);
    }
    const [counts] = rowsOf<{ kept: number | string; orphans: number | string; results: number | string }>(
      await db.execute(sql`select (select count(*) from certificates) as kept,
        (select count(*) from check_results r where r.certificate_sha256 is not null and not exists (select 1 from certificates c where c.sha256 = r.certificate_sha256)) as orphans,
        (select count(*) from check_results where certificate_sha256 is not null) as results`),
    );
    expect({ kept: Number(counts!.kept), orphans: Number(counts!.orphans), results: Number(counts!.results) }).toEqual({ kept: 2, orphans: 0, results: 14 });
  });
});
