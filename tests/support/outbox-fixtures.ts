import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { deliverBatch, fanOutNextEvent, type MailChannel } from '../../alerts/index.ts';
import { hashToken, newNonce, openIncident, publishUpdate } from '../../api/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { ReceivedMail } from './smtp-peer.ts';

/** A confirmed subscriber of page `status`, written directly (the subscribe flow has its own tests). */
export async function aSubscriber(db: Database, fields: { email: string; language?: string; componentIds?: string[]; confirmed?: boolean; now?: Date }) {
  const nonce = newNonce();
  const [row] = await db
    .insert(tables.subscribers)
    .values({ pageId: 'status', email: fields.email, language: fields.language ?? 'da', componentIds: fields.componentIds ?? [], manageNonce: nonce, manageTokenHash: hashToken(`test-${nonce}`), confirmedAt: fields.confirmed === false ? null : (fields.now ?? new Date('2026-01-01T00:00:00Z')), createdAt: fields.now ?? new Date('2026-01-01T00:00:00Z') })
    .returning();
  return row!;
}

/** Many confirmed subscribers in one statement, for the fan-out sizes of the crash test and the benchmark. */
export async function manySubscribers(db: Database, count: number, prefix = 'reader') {
  const now = new Date('2026-01-01T00:00:00Z');
  const rows = Array.from({ length: count }, (_, i) => {
    const nonce = newNonce();
    return { pageId: 'status', email: `${prefix}${i}@example.test`, language: ['da', 'en', 'sv', 'nb', 'it'][i % 5]!, componentIds: [], manageNonce: nonce, manageTokenHash: hashToken(`bulk-${nonce}`), confirmedAt: now, createdAt: now };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(tables.subscribers).values(rows.slice(i, i + 1000));
}

/** Opens an incident on `sso` and publishes its first update: the cause of the mails. */
export async function publishIncidentUpdate(db: Database, now: Date, componentIds = ['sso']) {
  const incident = await openIncident(db, { pageId: 'status', title: { da: 'Login er langsomt', en: 'Login is slow' }, priority: 'B', componentIds, actor: 'system', now });
  return publishUpdate(db, { incidentId: incident.id, expectedVersion: incident.version, step: 'registered', actor: 'system', now });
}

export async function outboxRows(db: Database) {
  return db.select().from(tables.outboxMessages);
}

export async function subscriberByEmail(db: Database, email: string) {
  const [row] = await db.select().from(tables.subscribers).where(eq(tables.subscribers.email, email));
  return row;
}

/** Sent, delivered, lost and duplicated, as the fault matrix reports them. */
export function tally(args: { expectedRecipients: string[]; received: ReceivedMail[]; sentRows: number }) {
  const ids = args.received.map((m) => m.messageId);
  const distinct = new Set(ids);
  const deliveredTo = new Set(args.received.flatMap((m) => m.to));
  return {
    sent: args.sentRows,
    delivered: distinct.size,
    lost: args.expectedRecipients.filter((r) => !deliveredTo.has(r)).length,
    duplicated: ids.length - distinct.size,
  };
}

const LINKS = { publicUrl: 'https://status.example', secret: 'test-secret-test-secret-test-secret', messageIdDomain: 'status.example' };

/** Fans out every pending event, then sends one batch of what is due at `now`, as one round of the outbox worker does (a fixed jitter, retries due within seconds). */
export async function fanOutAndDeliver(db: Database, args: { channel: MailChannel; now: Date }) {
  while (await fanOutNextEvent(db, args.now)) {
    // one event per call
  }
  return deliverBatch({ db, channel: args.channel, now: () => args.now, random: () => 0.5, links: LINKS, backoff: { baseMs: 1000, capMs: 60_000, maxAgeMs: 86_400_000 }, logger: pino({ level: 'silent' }), batchSize: 100, concurrency: 4, leaseMs: 60_000 });
}
