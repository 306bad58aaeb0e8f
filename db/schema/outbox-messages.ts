import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { notificationEvents } from './notification-events.ts';
import { subscribers } from './subscribers.ts';
import { webhookSubscribers } from './webhook-subscribers.ts';

/**
 * One message to one recipient. Its id is the mail's Message-ID, so a
 * resend after a crash carries the same id. Claimed with FOR UPDATE SKIP
 * LOCKED: claiming moves `next_attempt_at` a lease ahead, so a row whose
 * worker died becomes due again when the lease runs out.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['confirm', 'event', 'webhook', 'alert', 'report'] }).notNull(),
    eventId: uuid('event_id').references(() => notificationEvents.id),
    /** Deleted with the subscriber: an unsubscribe stops queued mail at once. */
    subscriberId: uuid('subscriber_id').references(() => subscribers.id, { onDelete: 'cascade' }),
    /** A webhook delivery; deleted with its webhook. */
    webhookId: uuid('webhook_id').references(() => webhookSubscribers.id, { onDelete: 'cascade' }),
    /** An operator alert's destination: the route, the channel's place in it, and the address for e-mail. */
    alertTarget: jsonb('alert_target').$type<{ routeId: string; channel: number; to?: string }>(),
    /** A report's recipient (a contract recipient from the config). */
    recipient: text('recipient'),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [index('outbox_messages_due_idx').on(table.status, table.nextAttemptAt), index('outbox_messages_subscriber_idx').on(table.subscriberId)],
);
