import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { publishUpdate, openIncident } from '../api/index.ts';
import { openDatabase, rowsOf, syncConfig, type DatabaseHandle } from '../db/index.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { manySubscribers, tally } from './support/outbox-fixtures.ts';
import { startSmtpPeer } from './support/smtp-peer.ts';

const CHILD = fileURLToPath(new URL('./support/outbox-child.ts', import.meta.url));
const SUBSCRIBERS = 300;
const CONCURRENCY = 4;

/**
 * The worker is a separate process, killed with SIGKILL while a batch is on
 * the wire and then started again: the rows it had claimed come back when
 * their lease ends. PostgreSQL only: two processes cannot share PGlite.
 */
describe.skipIf(!postgresAdminUrl)('the outbox survives SIGKILL of the sending process (PostgreSQL)', () => {
  let handle: DatabaseHandle | undefined;
  let drop: (() => Promise<void>) | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await handle?.close();
    await drop?.();
  });

  it('loses nothing; the only duplicates are the sends in flight at the kill, with the same Message-ID', async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    handle = await openDatabase({ databaseUrl: created.url, dataDir: '' });
    const db = handle.db;
    await syncConfig(db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    await manySubscribers(db, SUBSCRIBERS);
    // a slow peer, so the kill lands while messages are on the wire
    const peer = await startSmtpPeer({ acceptDelayMs: 15 });
    const start = () => {
      const child = spawn(process.execPath, [CHILD], { env: { ...process.env, DATABASE_URL: created.url, SMTP_PORT: String(peer.port), CONCURRENCY: String(CONCURRENCY), LEASE_MS: '1500' }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    };
    const now = new Date();
    const incident = await openIncident(db, { pageId: 'status', title: 'Login is slow', priority: 'B', componentIds: ['sso'], actor: 'system', now });
    await publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'registered', actor: 'system', now });

    const first = start();
    const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await until(() => peer.received.length >= SUBSCRIBERS / 3, 'a third of the mail');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = peer.received.length;
    const counts = async () => rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from outbox_messages group by status`));
    const pendingAtKill = (await counts()).find((r) => r.status === 'pending')?.n ?? 0;

    start();
    await until(async () => (await counts()).every((r) => r.status === 'sent'), 'every row marked sent');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = tally({ expectedRecipients: Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${i}@example.test`), received: peer.received, sentRows: (await counts())[0]!.n });
    console.table([{ scenario: 'SIGKILL mid-batch, restart', receivedAtKill: atKill, pendingAtKill, ...result }]);
    expect(pendingAtKill).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.sent).toBe(SUBSCRIBERS);
    // the duplicate window: accepted by the server, not yet marked; at most the sends in flight
    expect(result.duplicated).toBeLessThanOrEqual(CONCURRENCY);
    const idsByRecipient = new Map<string, Set<string>>();
    for (const mail of peer.received) idsByRecipient.set(mail.to[0]!, (idsByRecipient.get(mail.to[0]!) ?? new Set()).add(mail.messageId));
    expect([...idsByRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
    await peer.close();
  }, 90_000);
});
