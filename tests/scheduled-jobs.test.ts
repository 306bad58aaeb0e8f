import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import PostalMime from 'postal-mime';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, deliverBatch, formatPercent, jobsOf, startScheduledJobs, type JobSpec, type ScheduledJobs } from '../alerts/index.ts';
import { parseConfig } from '../config/index.ts';
import { openDatabase, syncConfig, tables, type DatabaseHandle } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

const logger = pino({ level: 'silent' });
const DOWN = { start: new Date('2026-02-10T10:00:00Z'), end: new Date('2026-02-10T12:00:00Z') };
const ZONE = 'Europe/Copenhagen';

/** Availability over a period in the profile's zone, with the two down hours inside it, as the report prints it. */
function expectedPercent(fromLocal: string, toLocal: string): string {
  const potentialSeconds = (DateTime.fromISO(toLocal, { zone: ZONE }).toMillis() - DateTime.fromISO(fromLocal, { zone: ZONE }).toMillis()) / 1000;
  const downSeconds = (DOWN.end.getTime() - DOWN.start.getTime()) / 1000;
  return formatPercent(1 - downSeconds / potentialSeconds, 'en');
}
const links = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };

function reportConfig() {
  const parsed = parseConfig(`
organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: std, name: Standard, availabilityTargetPercent: 99.5, timeZone: Europe/Copenhagen }]
# the page's own zone differs: the reports follow the profile's
jobs: { purgeSubscriptions: "0 4 * * *" }
pages:
  - id: status
    organisation: kommune
    name: { en: Service status, da: Driftsstatus }
    # the mails speak the page's default language; tests/report-mail.test.ts covers the others
    defaultLanguage: en
    timeZone: UTC
    reports: { recipients: [kontrakt@kommune.example, leder@kommune.example], digest: {} }
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: SSO, slaProfile: std, checks: [{ kind: https, url: "https://sso.example.dk/" }] }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(DRIVERS)('scheduled jobs, claimed through the database, on %s', (driver) => {
  let test: TestDatabase;
  let second: DatabaseHandle | undefined;
  let workers: ScheduledJobs[] = [];
  let peer: SmtpPeer;
  const config = reportConfig();
  const clock = new Date('2026-04-07T06:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config, new Date('2026-01-01T00:00:00Z'));
    // SSO was down for two hours in February 2026, up before and after
    await test.handle.db.insert(tables.stateIntervals).values([
      { componentId: 'sso', state: 'up', startedAt: new Date('2025-12-01T00:00:00Z'), endedAt: DOWN.start },
      { componentId: 'sso', state: 'down', startedAt: DOWN.start, endedAt: DOWN.end },
      { componentId: 'sso', state: 'up', startedAt: DOWN.end, endedAt: null },
    ]);
    // PostgreSQL: the second replica has its own connection pool; the embedded database allows one process, so both share it
    second = driver === 'postgres' ? await openDatabase({ databaseUrl: test.url, dataDir: '' }) : undefined;
    const dbs = [test.handle.db, (second ?? test.handle).db];
    workers = dbs.map((db) => startScheduledJobs({ db, jobs: jobsOf(config, { db, now: () => clock }), now: () => clock, logger }));
    peer = await startSmtpPeer();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await second?.close();
    await peer?.close();
    await test?.drop();
  });

  /** Delivers what is queued to the SMTP peer; returns the mails this round delivered. */
  async function deliverQueued(at: Date) {
    const before = peer.received.length;
    const channel = createSmtpChannel({ url: peer.url, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    try {
      const round = await deliverBatch({ db: test.handle.db, channel, now: () => at, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 2, leaseMs: 60_000 });
      expect(round).toMatchObject({ failed: 0 });
    } finally {
      await channel.close();
    }
    return peer.received.slice(before);
  }

  /** Fires a job on both replicas at once; exactly one must run it. */
  async function fireOnBoth(job: string, at: Date) {
    const results = await Promise.all(workers.map((w) => w.fire(job, at)));
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect((await workers[0]!.fire(job, new Date(at.getTime() + 500))).ran).toBe(false);
    return results.find((r) => r.ran)!.outcome;
  }

  it('takes the schedules and time zones from the config', () => {
    expect(jobsOf(config, { db: test.handle.db, now: () => clock }).map((j) => [j.name, j.cron, j.timeZone])).toEqual([
      ['purge-subscriptions', '0 4 * * *', 'Europe/Copenhagen'],
      ['monthly-report:status', '0 8 7 * *', 'Europe/Copenhagen'],
      ['tertial-report:status', '0 8 7 1,5,9 *', 'Europe/Copenhagen'],
      ['yearly-report:status', '0 8 7 1 *', 'Europe/Copenhagen'],
      ['digest:status', '0 8 * * 1', 'Europe/Copenhagen'],
    ]);
  });

  it('runs the report due on the 7th once with two replicas, and mails it with the CSV and the statement attached', async () => {
    const results = await Promise.all(workers.map((w) => w.fire('monthly-report:status', clock)));
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect(results.find((r) => r.ran)!.outcome).toBe('ok: report 2026-03 queued for 2 recipients');
    // a replica whose timer fires late in the same minute finds it taken too
    expect((await workers[1]!.fire('monthly-report:status', new Date(clock.getTime() + 900))).ran).toBe(false);
    const runs = await test.handle.db.select().from(tables.jobRuns);
    expect(runs.map((r) => [r.job, r.period])).toEqual([['monthly-report:status', '2026-04-07T06:00Z']]);

    const channel = createSmtpChannel({ url: peer.url, from: 'Statusvakt <status@status.example>', requireTls: false, maxConnections: 2, timeoutMs: 2000 });
    try {
      const round = await deliverBatch({ db: test.handle.db, channel, now: () => clock, random: () => 0.5, links, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger, batchSize: 50, concurrency: 2, leaseMs: 60_000 });
      expect(round).toMatchObject({ claimed: 2, sent: 2, failed: 0 });
    } finally {
      await channel.close();
    }
    expect(peer.received.map((m) => m.to[0]).sort()).toEqual(['kontrakt@kommune.example', 'leder@kommune.example']);
    const mail = peer.received[0]!;
    expect(mail.subject).toBe('SLA report March 2026: Service status');
    expect(mail.text).toMatch(/\nSSO +100\.000% +99\.500% +Yes\n/);
    const parsed = await PostalMime.parse(mail.raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['sla-report-status-2026-03.csv', 'statement-sso-2026-03.json']);
    const csv = new TextDecoder().decode(parsed.attachments[0]!.content as ArrayBuffer);
    expect(csv.split('\n')[0]).toMatch(/^period,status,scope,id/);
    expect(csv).toContain('2026-03');
    const statement = JSON.parse(new TextDecoder().decode(parsed.attachments[1]!.content as ArrayBuffer)) as Record<string, unknown>;
    expect(JSON.stringify(statement)).toContain('sso');
  });

  it('runs the tertial report due on 7 May once with two replicas: January–April, with its figures and attachments', async () => {
    const at = new Date('2026-05-07T06:00:00Z');
    expect(await fireOnBoth('tertial-report:status', at)).toBe('ok: report 2026-T1 queued for 2 recipients');
    const mails = await deliverQueued(at);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['kontrakt@kommune.example', 'leder@kommune.example']);
    const mail = mails[0]!;
    expect(mail.subject).toBe('SLA report T1 2026 (January–April): Service status');
    expect(mail.text).toMatch(new RegExp(`\nSSO +${expectedPercent('2026-01-01T00:00', '2026-05-01T00:00')} `));
    expect(mail.text).toMatch(new RegExp(`\nAll services together +${expectedPercent('2026-01-01T00:00', '2026-05-01T00:00')} `));
    const parsed = await PostalMime.parse(mail.raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['sla-report-status-2026-T1.csv', 'statement-sso-2026-T1.json']);
    const csv = new TextDecoder().decode(parsed.attachments[0]!.content as ArrayBuffer);
    expect(csv).toContain('2026-T1');
  });

  it('runs the yearly report due on 7 January once with two replicas: the whole year before', async () => {
    const at = new Date('2027-01-07T07:00:00Z');
    expect(await fireOnBoth('yearly-report:status', at)).toBe('ok: report 2026 queued for 2 recipients');
    const mails = await deliverQueued(at);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toBe('SLA report 2026: Service status');
    expect(mails[0]!.text).toMatch(new RegExp(`\nSSO +${expectedPercent('2026-01-01T00:00', '2027-01-01T00:00')} `));
    const parsed = await PostalMime.parse(mails[0]!.raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['sla-report-status-2026.csv', 'statement-sso-2026.json']);
  });

  it('runs the weekly digest once with two replicas: the incidents and windows of the week before, the windows ahead', async () => {
    const db = test.handle.db;
    const incident = (title: string, registeredAt: string, resolvedAt: string | null) => ({
      pageId: 'status',
      title: { en: title },
      priority: 'B' as const,
      status: resolvedAt ? ('resolved' as const) : ('investigating' as const),
      componentIds: ['sso'],
      automatic: false,
      detectedAt: new Date(registeredAt),
      registeredAt: new Date(registeredAt),
      resolvedAt: resolvedAt ? new Date(resolvedAt) : null,
      updatedAt: new Date(registeredAt),
    });
    await db.insert(tables.incidents).values([incident('Login slow', '2026-05-05T09:00:00Z', '2026-05-05T10:30:00Z'), incident('Old fault', '2026-04-20T09:00:00Z', '2026-04-20T10:00:00Z'), incident('Still open', '2026-05-10T20:00:00Z', null)]);
    const window = (title: string, start: string, end: string) => ({ componentIds: ['sso'], title: { en: title }, plannedStart: new Date(start), plannedEnd: new Date(end), announcedAt: new Date('2026-04-01T00:00:00Z'), createdBy: 'drift@kommune.example' });
    await db.insert(tables.serviceWindows).values([window('Patching', '2026-05-06T20:00:00Z', '2026-05-06T22:00:00Z'), window('Upgrade', '2026-05-14T20:00:00Z', '2026-05-14T23:00:00Z'), window('Long ago', '2026-04-20T20:00:00Z', '2026-04-20T21:00:00Z'), window('Far ahead', '2026-06-20T20:00:00Z', '2026-06-20T21:00:00Z')]);
    // Monday 11 May 2026, 08:00 in Copenhagen
    const at = new Date('2026-05-11T06:00:00Z');
    expect(await fireOnBoth('digest:status', at)).toBe('ok: digest of 2 incidents and 2 windows queued for 2 recipients');
    const mails = await deliverQueued(at);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['kontrakt@kommune.example', 'leder@kommune.example']);
    const mail = mails[0]!;
    expect(mail.subject).toBe('Digest 4 May 2026 – 11 May 2026: Service status');
    // times in the profile's zone (CEST), as the reader writes them
    expect(mail.text).toContain('[B] Login slow (Resolved): registered 5 May 2026, 11:00 CEST, resolved 5 May 2026, 12:30 CEST');
    expect(mail.text).toContain('[B] Still open (Investigating): registered 10 May 2026, 22:00 CEST, still open');
    expect(mail.text).not.toContain('Old fault');
    expect(mail.text).toMatch(/Service windows \(1\)\n-+\n\nPatching: 6 May 2026, 22:00 CEST – 7 May 2026, 00:00 CEST/);
    expect(mail.text).toMatch(/Planned until 18 May 2026 \(1\)\n-+\n\nUpgrade: 14 May 2026, 22:00 CEST – 15 May 2026, 01:00 CEST/);
    expect(mail.text).not.toContain('Long ago');
    expect(mail.text).not.toContain('Far ahead');
    expect(mail.text).toContain('Availability in May 2026 so far (preliminary)');
    expect(mail.text).toMatch(/\nSSO +100\.000% +99\.500% +Yes\n/);
    expect(mail.html).toContain('<h2 style="font-size:17px">Incidents (2)</h2>');
  });

  it('runs the purge once per scheduled time with two replicas', async () => {
    await test.handle.db.execute(sql`delete from job_runs`);
    const at = new Date('2026-04-08T02:00:00Z');
    const results = await Promise.all(workers.map((w) => w.fire('purge-subscriptions', at)));
    expect(results.filter((r) => r.ran)).toHaveLength(1);
    expect((await Promise.all(workers.map((w) => w.fire('purge-subscriptions', new Date('2026-04-09T02:00:00Z'))))).filter((r) => r.ran)).toHaveLength(1);
    expect(await test.handle.db.select().from(tables.jobRuns)).toHaveLength(2);
  });

  /** Two replicas of one job whose run is `run`; the retry timer is left to the test, which plays each tick. */
  function replicasOf(name: string, clock: { now: Date }, run: (slot: Date) => Promise<string>) {
    const job: JobSpec = { name, cron: '0 8 7 * *', timeZone: 'UTC', run };
    return [test.handle.db, (second ?? test.handle).db].map((db) => startScheduledJobs({ db, jobs: [job], now: () => clock.now, logger, retryEveryMs: null }));
  }
  const runsOf = async (name: string) => (await test.handle.db.select().from(tables.jobRuns)).filter((r) => r.job === name);

  it('claims the slot the cron expression named, not the moment each replica fired: one run for timers a few seconds apart', async () => {
    const slot = new Date('2026-04-07T08:00:00Z');
    const clock = { now: slot };
    const slots: Date[] = [];
    const replicas = replicasOf('slot-key', clock, async (at) => (slots.push(at), 'done'));
    try {
      const results = await Promise.all([replicas[0]!.fire('slot-key', new Date(slot.getTime() + 400)), replicas[1]!.fire('slot-key', new Date(slot.getTime() + 2_700))]);
      expect(results.filter((r) => r.ran)).toHaveLength(1);
      expect(slots).toEqual([slot]);
      expect((await runsOf('slot-key')).map((r) => r.period)).toEqual(['2026-04-07T08:00Z']);
    } finally {
      for (const r of replicas) await r.stop();
    }
  });

  it('runs by the node-cron timer in the zone of the job: a job due every second runs once per slot across both replicas', async () => {
    const runs: Date[] = [];
    const ranAtMs: number[] = [];
    // a zone 13 h 45 min from UTC: the slot the timer names must still be the one claimed
    const job: JobSpec = { name: 'every-second', cron: '* * * * * *', timeZone: 'Pacific/Chatham', run: async (slot) => (runs.push(slot), ranAtMs.push(Date.now()), 'done') };
    const replicas = [test.handle.db, (second ?? test.handle).db].map((db) => startScheduledJobs({ db, jobs: [job], now: () => new Date(), logger, retryEveryMs: null }));
    try {
      await expect.poll(() => runs.length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    } finally {
      for (const r of replicas) await r.stop();
    }
    // both replicas' timers fired every second; each slot (a minute) was claimed and run once
    const periods = (await runsOf('every-second')).map((r) => r.period);
    expect(new Set(periods).size).toBe(periods.length);
    expect(runs).toHaveLength(periods.length);
    // each run is for the minute it ran in (measured when it ran: the test goes on for seconds after)
    expect(runs.map((slot, i) => ranAtMs[i]! - slot.getTime()).filter((sinceSlotMs) => sinceSlotMs < 0 || sinceSlotMs >= 60_000)).toEqual([]);
  });

  it('a run that throws is tried again at a later tick, by one replica, and then recorded done once', async () => {
    const slot = new Date('2026-04-07T08:00:00Z');
    const clock = { now: slot };
    const runs: Date[] = [];
    const replicas = replicasOf('flaky-report', clock, async (at) => {
      runs.push(at);
      if (runs.length === 1) throw new Error('the database went away');
      return 'queued';
    });
    try {
      const first = await Promise.all(replicas.map((r) => r.fire('flaky-report', slot)));
      expect(first.filter((r) => r.ran)).toEqual([{ ran: true, outcome: 'failed: the database went away' }]);
      // the next tick, a minute on: too soon to hammer a failing job
      clock.now = new Date(slot.getTime() + 60_000);
      expect((await Promise.all(replicas.map((r) => r.retryDue()))).flat()).toEqual([]);
      clock.now = new Date(slot.getTime() + 5 * 60_000);
      const retried = (await Promise.all(replicas.map((r) => r.retryDue()))).flat();
      expect(retried.filter((r) => r.ran)).toEqual([{ job: 'flaky-report', period: '2026-04-07T08:00Z', ran: true, outcome: 'ok: queued' }]);
      // done: neither later ticks nor the timer of the slot run it again
      clock.now = new Date(slot.getTime() + 3_600_000);
      expect((await Promise.all(replicas.map((r) => r.retryDue()))).flat()).toEqual([]);
      expect((await Promise.all(replicas.map((r) => r.fire('flaky-report', slot)))).filter((r) => r.ran)).toHaveLength(0);
      // the retry ran for the slot, not for the time it ran
      expect(runs).toEqual([slot, slot]);
      expect(await runsOf('flaky-report')).toEqual([expect.objectContaining({ outcome: 'ok: queued', finishedAt: expect.any(Date) })]);
    } finally {
      for (const r of replicas) await r.stop();
    }
  });

  it('a claim whose claimer died is taken over once its 10-minute lease has run out, by one replica', async () => {
    const slot = new Date('2026-04-07T08:00:00Z');
    const clock = { now: slot };
    let runs = 0;
    const replicas = replicasOf('orphaned-report', clock, async () => `run ${++runs}`);
    try {
      // a replica claimed the slot and died before recording anything
      await test.handle.db.insert(tables.jobRuns).values({ job: 'orphaned-report', period: '2026-04-07T08:00Z', startedAt: slot });
      expect((await Promise.all(replicas.map((r) => r.fire('orphaned-report', new Date(slot.getTime() + 30_000))))).filter((r) => r.ran)).toHaveLength(0);
      clock.now = new Date(slot.getTime() + 9 * 60_000);
      expect((await Promise.all(replicas.map((r) => r.retryDue()))).flat()).toEqual([]);
      clock.now = new Date(slot.getTime() + 10 * 60_000);
      const taken = (await Promise.all(replicas.map((r) => r.retryDue()))).flat();
      expect(taken.filter((r) => r.ran)).toEqual([expect.objectContaining({ period: '2026-04-07T08:00Z', outcome: 'ok: run 1' })]);
      expect(runs).toBe(1);
      expect(await runsOf('orphaned-report')).toEqual([expect.objectContaining({ outcome: 'ok: run 1' })]);
    } finally {
      for (const r of replicas) await r.stop();
    }
  });
});
