import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';

/** What the outbox holds for a page: messages by state, and the latest that failed for good, with the reason. */
export async function notificationStatus(db: Database, args: { pageId: string; actor: Actor }) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, args.pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${args.pageId}"`);
  requireOrganisation(args.actor, page.organisationId);
  const o = tables.outboxMessages;
  const s = tables.subscribers;
  const h = tables.webhookSubscribers;
  const ofPage = or(eq(s.pageId, page.id), eq(h.pageId, page.id));
  const counts = await db.select({ status: o.status, n: sql<number>`count(*)::int` }).from(o).leftJoin(s, eq(s.id, o.subscriberId)).leftJoin(h, eq(h.id, o.webhookId)).where(ofPage).groupBy(o.status);
  const failed = await db
    .select({ id: o.id, kind: o.kind, email: s.email, url: h.url, attempts: o.attempts, reason: o.lastError, createdAt: o.createdAt })
    .from(o)
    .leftJoin(s, eq(s.id, o.subscriberId))
    .leftJoin(h, eq(h.id, o.webhookId))
    .where(and(ofPage, eq(o.status, 'failed')))
    .orderBy(desc(o.createdAt))
    .limit(100);
  const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
  return {
    pageId: page.id,
    counts: { pending: by.pending ?? 0, sent: by.sent ?? 0, failed: by.failed ?? 0 },
    failed: failed.map((f) => ({ id: f.id, kind: f.kind, recipient: f.email ?? f.url ?? null, attempts: f.attempts, reason: f.reason, createdAt: f.createdAt.toISOString() })),
  };
}
