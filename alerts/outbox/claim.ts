import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';

export type MessageKind = 'confirm' | 'event' | 'webhook' | 'alert' | 'report';
export type ClaimedMessage = { id: string; kind: MessageKind; eventId: string | null; subscriberId: string | null; webhookId: string | null; alertTarget: { routeId: string; channel: number; to?: string } | null; recipient: string | null; attempts: number; createdAt: Date };

/**
 * A row that goes out as e-mail: subscriber mail, reports, and operator
 * alerts to an address (their target names one; webhook, Slack and Teams
 * targets do not).
 */
export const IS_MAIL = sql.raw(`(kind in ('confirm', 'event', 'report') or (kind = 'alert' and alert_target->>'to' is not null))`);

/**
 * Claims up to `limit` due messages. SKIP LOCKED lets several workers claim
 * side by side without waiting on each other; the claim pushes
 * `next_attempt_at` one lease ahead, so if this worker dies the rows become
 * due again by themselves (that is the at-least-once, see README).
 * Without `withMail` (no SMTP) mail is left alone: not claimed, no attempt
 * counted, so it waits unchanged until SMTP is configured.
 */
export async function claimDueMessages(db: Database, args: { now: Date; limit: number; leaseMs: number; withMail: boolean; only?: readonly string[] }): Promise<ClaimedMessage[]> {
  const leaseEnd = new Date(args.now.getTime() + args.leaseMs);
  const result = await db.execute(sql`
    update outbox_messages set next_attempt_at = ${leaseEnd.toISOString()}::timestamptz, attempts = attempts + 1
    where id in (
      select id from outbox_messages
      where status = 'pending' and next_attempt_at <= ${args.now.toISOString()}::timestamptz
        ${args.withMail ? sql`` : sql`and not ${IS_MAIL}`}
        ${args.only ? sql`and id = any(${`{${args.only.join(',')}}`}::uuid[])` : sql``}
      order by next_attempt_at limit ${args.limit} for update skip locked
    )
    returning id, kind, event_id, subscriber_id, webhook_id, alert_target, recipient, attempts, created_at`);
  return rowsOf<{ id: string; kind: MessageKind; event_id: string | null; subscriber_id: string | null; webhook_id: string | null; alert_target: ClaimedMessage['alertTarget'] | string; recipient: string | null; attempts: number; created_at: Date | string }>(result).map((r) => ({
    id: r.id,
    kind: r.kind,
    eventId: r.event_id,
    subscriberId: r.subscriber_id,
    webhookId: r.webhook_id,
    alertTarget: typeof r.alert_target === 'string' ? (JSON.parse(r.alert_target) as ClaimedMessage['alertTarget']) : r.alert_target,
    recipient: r.recipient,
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at),
  }));
}
