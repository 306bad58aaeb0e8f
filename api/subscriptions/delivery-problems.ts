import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';

/** How many failed messages and bounced addresses the console lists; the counts cover all. */
const LIST_LIMIT = 100;

export type DeliveryProblems = {
  /** false: no SMTP server is configured, so mail waits in the outbox; null: this process was not told. */
  mailConfigured: boolean | null;
  counts: { queued: number; queuedMail: number; failed: number; bounced: number };
  /** The oldest message still queued, so a stuck queue shows how long it has been stuck. */
  oldestQueuedAt: string | null;
  failed: { id: string; kind: string; recipient: string | null; route: string | null; attempts: number; reason: string | null; createdAt: string }[];
  bounced: { pageId: string; email: string; reason: string | null; bouncedAt: string }[];
};

/**
 * What the outbox could not deliver, for the organisations the actor may see:
 * messages queued, messages that failed for good with their reason, and the
 * subscribers' addresses that bounced. A message belongs to the organisation
 * of its subscriber's or webhook's page, its alert, or its report's page.
 */
export async function deliveryProblems(db: Database, args: { actor: Actor; mailConfigured: boolean | null }): Promise<DeliveryProblems> {
  const orgs = args.actor.organisationIds;
  const scoped = (column: ReturnType<typeof sql>) => (orgs === null ? sql`true` : orgs.length === 0 ? sql`false` : sql`${column} in (${sql.join(orgs.map((o) => sql`${o}`), sql`, `)})`);
  const messages = sql`
    select o.id, o.kind, o.status, o.attempts, o.last_error, o.created_at,
           coalesce(s.email, h.url, o.alert_target->>'to', o.recipient) as recipient,
           o.alert_target->>'routeId' as route,
           -- a mail for a person: everything but webhooks, and alerts sent to an address
           (o.kind in ('confirm', 'event', 'report') or (o.kind = 'alert' and o.alert_target->>'to' is not null)) as is_mail,
           coalesce(p.organisation_id, e.payload->>'organisationId', pe.organisation_id) as organisation_id
    from outbox_messages o
    left join subscribers s on s.id = o.subscriber_id
    left join webhook_subscribers h on h.id = o.webhook_id
    left join status_pages p on p.id = coalesce(s.page_id, h.page_id)
    left join notification_events e on e.id = o.event_id
    left join status_pages pe on pe.id = e.page_ids[1]`;
  const [counts] = rowsOf<{ queued: number; queued_mail: number; failed: number; oldest: Date | string | null }>(
    await db.execute(sql`
      with m as (${messages})
      select count(*) filter (where status = 'pending')::int as queued,
             count(*) filter (where status = 'pending' and is_mail)::int as queued_mail,
             count(*) filter (where status = 'failed')::int as failed,
             min(created_at) filter (where status = 'pending') as oldest
      from m where ${scoped(sql`organisation_id`)}`),
  );
  const failed = rowsOf<{ id: string; kind: string; recipient: string | null; route: string | null; attempts: number; last_error: string | null; created_at: Date | string }>(
    await db.execute(sql`with m as (${messages}) select * from m where status = 'failed' and ${scoped(sql`organisation_id`)} order by created_at desc limit ${LIST_LIMIT}`),
  );
  const bounced = rowsOf<{ page_id: string; email: string; bounce_reason: string | null; bounced_at: Date | string; n: number }>(
    await db.execute(sql`
      select s.page_id, s.email, s.bounce_reason, s.bounced_at, count(*) over ()::int as n
      from subscribers s join status_pages p on p.id = s.page_id
      where s.bounced_at is not null and ${scoped(sql`p.organisation_id`)}
      order by s.bounced_at desc limit ${LIST_LIMIT}`),
  );
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    mailConfigured: args.mailConfigured,
    counts: { queued: Number(counts?.queued ?? 0), queuedMail: Number(counts?.queued_mail ?? 0), failed: Number(counts?.failed ?? 0), bounced: Number(bounced[0]?.n ?? 0) },
    oldestQueuedAt: counts?.oldest ? iso(counts.oldest) : null,
    failed: failed.map((f) => ({ id: f.id, kind: f.kind, recipient: f.recipient, route: f.route, attempts: Number(f.attempts), reason: f.last_error, createdAt: iso(f.created_at) })),
    bounced: bounced.map((b) => ({ pageId: b.page_id, email: b.email, reason: b.bounce_reason, bouncedAt: iso(b.bounced_at) })),
  };
}
