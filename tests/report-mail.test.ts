import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import PostalMime from 'postal-mime';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, deliverBatch, formatPercent, formatPeriod, jobsOf, MAIL_MESSAGES, REPORT_MESSAGES, startScheduledJobs, type ScheduledJobs } from '../alerts/index.ts';
import { acknowledgeIncident, buildApp, openIncident, parseStatementDocument, publishUpdate, verifyStatement, type App, type ReportDocument } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const logger = pino({ level: 'silent' });
const ZONE = 'Europe/Copenhagen';
const DOWN = { start: new Date('2026-03-10T10:00:00Z'), end: new Date('2026-03-10T12:00:00Z') };
// force majeure for the first of the two down hours: counted as available
const EXCLUDED = { start: new Date('2026-03-10T10:00:00Z'), end: new Date('2026-03-10T11:00:00Z') };
const NOTE = 'Strømsvigt i datacentret <efter lynnedslag>';
const AUTHOR = 'drift@kommune.example';
const links = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };

const CONFIG = `
organisations: [{ id: kommune, name: Kommune }]
slaProfiles:
  - id: std
    name: Standard
    availabilityTargetPercent: 99.5
    timeZone: ${ZONE}
    reactionMinutes: { A: 30, B: 60 }
    categories:
      - { id: citizen, name: { da: Borgerservice, en: Citizen services } }
  - { id: base, name: Base, availabilityTargetPercent: 99.5, timeZone: ${ZONE} }
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    defaultLanguage: da
    languages: [da, en]
    reports: { recipients: [kontrakt@kommune.example, leder@kommune.example] }
    groups:
      - id: g
        name: { da: Tjenester, en: Services }
        components:
          - { id: sso, name: { da: Fælles login, en: Single sign-on }, slaProfile: std, serviceCategory: citizen, checks: [{ kind: https, url: "https://sso.example.dk/" }] }
          - { id: post, name: { da: Digital post, en: Digital mail }, slaProfile: std, serviceCategory: citizen, checks: [{ kind: https, url: "https://post.example.dk/" }] }
  - id: stato
    organisation: kommune
    name: { it: Stato dei servizi, en: Service status (Italy) }
    defaultLanguage: it
    languages: [it, en]
    reports: { recipients: [contratto@comune.example], digest: {} }
    groups:
      - id: s
        name: Servizi
        components:
          - { id: accesso, name: { it: Accesso unico, en: Single access }, slaProfile: base, checks: [{ kind: https, url: "https://accesso.example.it/" }] }
`;

/** Availability of SSO in March 2026 as the rules define it, computed here from the test's own intervals: potential is the month in Copenhagen (23 hours on 29 March), down is the down time not excluded. */
function expectedSsoMarch(): number {
  const potentialSeconds = (DateTime.fromISO('2026-04-01T00:00', { zone: ZONE }).toMillis() - DateTime.fromISO('2026-03-01T00:00', { zone: ZONE }).toMillis()) / 1000;
  const downSeconds = (DOWN.end.getTime() - DOWN.start.getTime() - (EXCLUDED.end.getTime() - EXCLUDED.start.getTime())) / 1000;
  return 1 - downSeconds / potentialSeconds;
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const decode = (content: ArrayBuffer | Uint8Array | string) => (typeof content === 'string' ? content : new TextDecoder().decode(content));

describe.each(DRIVERS)('scheduled SLA report mails in the page language, through the job and a real SMTP peer, on %s', (driver) => {
  let test: TestDatabase;
  let jobs: ScheduledJobs;
  let peer: SmtpPeer;
  let app: App;
  let clock = new Date('2026-04-07T06:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const db = test.handle.db;
    await syncConfig(db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    // monitoring began on 15 February; Digital post was never measured
    const monitored = new Date('2026-02-15T00:00:00Z');
    await db.insert(tables.stateIntervals).values([
      { componentId: 'sso', state: 'up', startedAt: monitored, endedAt: DOWN.start },
      { componentId: 'sso', state: 'down', startedAt: DOWN.start, endedAt: DOWN.end },
      { componentId: 'sso', state: 'up', startedAt: DOWN.end, endedAt: null },
      { componentId: 'accesso', state: 'up', startedAt: monitored, endedAt: null },
    ]);
    await db.insert(tables.exclusions).values({ componentIds: ['sso'], startAt: EXCLUDED.start, endAt: EXCLUDED.end, reason: 'force_majeure', note: NOTE, author: AUTHOR, recordedAt: new Date('2026-03-11T08:00:00Z') });
    // an A fault acknowledged in time, with one message in time and one late; a B fault acknowledged late
    const a = await openIncident(db, { pageId: 'status', title: { da: 'Login nede', en: 'Login down' }, priority: 'A', componentIds: ['sso'], actor: 'system', now: new Date('2026-03-10T10:02:00Z') });
    const acknowledged = await acknowledgeIncident(db, { incidentId: a.id, actor: 'system', now: new Date('2026-03-10T10:10:00Z') });
    const registered = await publishUpdate(db, { incidentId: a.id, expectedVersion: acknowledged.version, step: 'registered', actor: 'system', now: new Date('2026-03-10T10:05:00Z') });
    await publishUpdate(db, { incidentId: a.id, expectedVersion: registered.incident.version, step: 'nature', body: { da: 'Strømsvigt.', en: 'Power cut.' }, actor: 'system', now: new Date('2026-03-10T11:00:00Z') });
    const b = await openIncident(db, { pageId: 'status', title: { da: 'Langsom post', en: 'Slow mail' }, priority: 'B', componentIds: ['sso'], actor: 'system', now: new Date('2026-03-20T12:00:00Z') });
    await acknowledgeIncident(db, { incidentId: b.id, actor: 'system', now: new Date('2026-03-20T14:00:00Z') });

    jobs = startScheduledJobs({ db, jobs: jobsOf(parsed.config, { db, now: () => clock }), now: () => clock, logger });
    app = buildApp({ database: test.handle, now: () => clock, logger });
    peer = await startSmtpPeer();
  }, 120_000);
  afterAll(async () => {
    await jobs?.stop();
    await peer?.close();
    await test?.drop();
  });

  /** Plays the job at its scheduled time, then delivers what it queued to the SMTP peer; returns the mails delivered. */
  async function runAndDeliver(job: string, at: Date) {
    clock = at;
    const run = await jobs.fire(job, at);
    expect(run.ran).toBe(true);
    expect(run.outcome).toMatch(/^ok: /);
    const before = peer.received.length;
    const channel = createSmtpChannel({ url: peer.url, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    try {
      expect(await deliverBatch({ db: test.handle.db, channel, now: () => at, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 2, leaseMs: 60_000 })).toMatchObject({ failed: 0 });
    } finally {
      await channel.close();
    }
    return peer.received.slice(before);
  }

  it('mails March in Danish: availability per service and category against target, fulfilment per priority and the exclusion with its note, both parts, CSV and statements attached', async () => {
    const mails = await runAndDeliver('monthly-report:status', new Date('2026-04-07T06:00:00Z'));
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['kontrakt@kommune.example', 'leder@kommune.example']);
    // the figures the SLA report route serves: the mail must say exactly these
    const response = await app.request('http://status.test/api/v1/sla/pages/status/reports/2026-03');
    expect(response.status).toBe(200);
    const report = (await response.json()) as ReportDocument;
    const m = REPORT_MESSAGES.da;
    const percent = (ratio: number) => formatPercent(ratio, 'da');
    const sso = expectedSsoMarch();
    expect(report.components.find((c) => c.id === 'sso')!.figures.availability).toBeCloseTo(sso, 12);
    expect(report.incidents.A.reaction).toEqual({ fulfilled: 1, late: 0, missed: 0 });
    expect(report.incidents.B.reaction).toEqual({ fulfilled: 0, late: 1, missed: 0 });
    expect(report.incidents.A.communication.late).toBeGreaterThan(0);

    const mail = mails[0]!;
    expect(mail.subject).toBe(`SLA-rapport ${formatPeriod('2026-03', 'da')}: Driftsstatus`);
    expect(mail.subject).toBe('SLA-rapport marts 2026: Driftsstatus');
    const counts = (c: { fulfilled: number; late: number; missed: number }) => `${c.fulfilled} til tiden, ${c.late} for sent, ${c.missed} udeblevet`;
    const text = mail.text;
    expect(text).toContain(m.reportFinal);
    expect(text).toMatch(new RegExp(`\\nFælles login +${escapeRegExp(percent(sso))} +${escapeRegExp(percent(0.995))} +Ja\\n`));
    expect(text).toMatch(/\nDigital post +Ikke målt +/);
    expect(text).toMatch(new RegExp(`\\nBorgerservice +${escapeRegExp(percent(report.categories[0]!.figures.availability!))} +${escapeRegExp(percent(0.995))} +`));
    expect(text).toMatch(new RegExp(`\\nAlle tjenester samlet +${escapeRegExp(percent(report.total.availability!))} `));
    for (const priority of ['A', 'B'] as const) {
      const row = report.incidents[priority];
      expect(text).toMatch(new RegExp(`\\n${priority} +${row.incidents} +${escapeRegExp(counts(row.reaction))} +${escapeRegExp(counts(row.communication))}\\n`));
    }
    expect(text).toContain(`Årsag: Force majeure\nTjenester: Fælles login\nTidsrum: 10. mar. 2026`);
    expect(text).toContain(`Bemærkning: ${NOTE}`);
    // the same figures in the HTML part, the note escaped
    for (const figure of [percent(sso), percent(report.total.availability!), counts(report.incidents.A.communication), 'Ikke målt', 'Fælles login', 'Borgerservice']) expect(mail.html).toContain(`>${figure}<`);
    expect(mail.html).toContain('Strømsvigt i datacentret &lt;efter lynnedslag&gt;');
    expect(mail.html).toContain('<html lang="da">');
    for (const part of [text, mail.html, mail.raw]) expect(part).not.toContain(AUTHOR);

    const parsed = await PostalMime.parse(mail.raw);
    expect(parsed.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['sla-report-status-2026-03.csv', 'text/csv'],
      ['statement-sso-2026-03.json', 'application/json'],
      ['statement-post-2026-03.json', 'application/json'],
    ]);
    const rows = parseCsv(decode(parsed.attachments[0]!.content), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.scope, r.id])).toEqual([['component', 'sso'], ['component', 'post'], ['category', 'std.citizen']]);
    expect(Number(rows[0]!.availability)).toBeCloseTo(sso, 8);
    expect(Number(rows[0]!.excluded_seconds)).toBe((EXCLUDED.end.getTime() - EXCLUDED.start.getTime()) / 1000);
    const statement = parseStatementDocument(JSON.parse(decode(parsed.attachments[1]!.content)));
    if (!statement.ok) throw new Error(JSON.stringify(statement.issues));
    expect(statement.document.figures!.availability).toBeCloseTo(sso, 12);
    expect(verifyStatement(statement.document).differences).toEqual([]);
    expect(statement.document.exclusions.map((x) => [x.reason, x.note, x.author])).toEqual([['force_majeure', NOTE, 'operator']]);
  });

  it('mails a page whose default language is Italian in Italian, with its component names', async () => {
    const mails = await runAndDeliver('monthly-report:stato', new Date('2026-04-07T06:00:00Z'));
    expect(mails.map((mail) => mail.to[0])).toEqual(['contratto@comune.example']);
    const mail = mails[0]!;
    expect(mail.subject).toBe('Rapporto SLA marzo 2026: Stato dei servizi');
    expect(mail.text).toMatch(new RegExp(`\\nAccesso unico +${escapeRegExp(formatPercent(1, 'it'))} +${escapeRegExp(formatPercent(0.995, 'it'))} +Sì\\n`));
    expect(mail.text).toContain(REPORT_MESSAGES.it.reportNoIncidents);
    expect(mail.text).toContain(REPORT_MESSAGES.it.reportNoExclusions);
    expect(mail.html).toContain('<html lang="it">');
    const parsed = await PostalMime.parse(mail.raw);
    const rows = parseCsv(decode(parsed.attachments[0]!.content), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.id, Number(r.availability)])).toEqual([['accesso', 1]]);
  });

  it('says "not measured" for January, before monitoring began, and names it in the tertial report', async () => {
    const january = (await runAndDeliver('monthly-report:status', new Date('2026-02-07T07:00:00Z')))[0]!;
    expect(january.subject).toBe('SLA-rapport januar 2026: Driftsstatus');
    expect(january.text).toContain(REPORT_MESSAGES.da.reportNotMeasured);
    expect(january.text).not.toContain(REPORT_MESSAGES.da.reportFinal);
    expect(january.text).toMatch(/\nFælles login +Ikke målt +/);
    expect(january.text).toMatch(/\nAlle tjenester samlet +Ikke målt +/);

    const tertial = (await runAndDeliver('tertial-report:status', new Date('2026-05-07T06:00:00Z')))[0]!;
    expect(tertial.subject).toBe('SLA-rapport T1 2026 (januar–april): Driftsstatus');
    expect(tertial.text).toContain('Måneder før overvågningen begyndte, ikke målt: januar 2026.');
    expect(tertial.text).toContain(`Bemærkning: ${NOTE}`);
  });

  it('mails the digest in the page’s language', async () => {
    const mails = await runAndDeliver('digest:stato', new Date('2026-05-11T06:00:00Z'));
    const mail = mails[0]!;
    expect(mail.subject).toBe('Riepilogo 4 mag 2026 – 11 mag 2026: Stato dei servizi');
    expect(mail.text).toContain(REPORT_MESSAGES.it.digestNoIncidents);
    expect(mail.text).toContain('Disponibilità in maggio 2026 finora (provvisoria)');
    expect(mail.text).toMatch(new RegExp(`\\nAccesso unico +${escapeRegExp(formatPercent(1, 'it'))} `));
    expect(mail.text).toContain(MAIL_MESSAGES.it.seePage);
  });
});

describe('percentages in the report mail', () => {
  it('cuts a figure instead of rounding it up, as the site does', () => {
    expect(formatPercent(0.989996, 'en')).toBe('98.999%');
    expect(formatPercent(0.9999996, 'da')).toBe('99,999\u00a0%');
  });
});
