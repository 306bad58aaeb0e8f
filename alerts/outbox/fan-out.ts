import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';

/**
 * Turns one pending event into one message per confirmed subscriber and per
 * enabled webhook that follows any of its components (or all of them), and marks the event done,
 * in a single statement: the messages and the mark commit together, so an
 * event is fanned out exactly once even with several workers (SKIP LOCKED)
 * or a crash half-way. Returns how many messages it queued, or null when no
 * event was waiting.
 */
export async function fanOutNextEvent(db: Database, now: Date): Promise<{ eventId: string; messages: number } | null> {
  const at = now.toISOString();
  const result = await db.execute(sql`
    with ev as (
      select id, page_ids, component_ids from notification_events
      where fanned_out_at is null and kind <> 'operator_alert' order by created_at limit 1 for update skip locked
    ), queued as (
      insert into outbox_messages (kind, event_id, subscriber_id, next_attempt_at, created_at)
      select 'event', ev.id, s.id, ${at}::timestamptz, ${at}::timestamptz from ev
      join subscribers s on s.page_id = any(ev.page_ids)
      where s.confirmed_at is not null and s.bounced_at is null
        and (cardinality(s.component_ids) = 0 or s.component_ids && ev.component_ids)
      returning 1
    ), hooked as (
      insert into outbox_messages (kind, event_id, webhook_id, next_attempt_at, created_at)
      select 'webhook', ev.id, h.id, ${at}::timestamptz, ${at}::timestamptz from ev
      join webhook_subscribers h on h.page_id = any(ev.page_ids)
      where h.disabled_at is null
        and (cardinality(h.component_ids) = 0 or h.component_ids && ev.component_ids)
      returning 1
    )
    update notification_events set fanned_out_at = ${at}::timestamptz from ev
    where notification_events.id = ev.id
    returning notification_events.id as event_id, ((select count(*) from queued) + (select count(*) from hooked))::int as messages`);
  const [row] = rowsOf<{ event_id: string; messages: number }>(result);
  return row ? { eventId: row.event_id, messages: Number(row.messages) } : null;
}
