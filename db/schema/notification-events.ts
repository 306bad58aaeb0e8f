import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Something people are told about (a published incident update; a service
 * window announced, started, overrunning, ended, cancelled; a component's shown status changed, for webhooks; an operator alert), written in the same
 * transaction as the change itself, so a crash can never lose it. A worker
 * fans each event out into `outbox_messages` (one per recipient) in one
 * transaction and sets `fanned_out_at`.
 */
export const notificationEvents = pgTable(
  'notification_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['incident_update', 'window_announced', 'window_started', 'window_overrunning', 'window_ended', 'window_cancelled', 'component_update', 'operator_alert', 'sla_report', 'digest', 'third_party_notice'] }).notNull(),
    /** Pages whose subscribers may be told. */
    pageIds: text('page_ids').array().notNull(),
    /** Components it concerns: a subscriber following any of them (or all) is told once. */
    componentIds: text('component_ids').array().notNull(),
    /** A snapshot of what the mail says, so rendering needs no further reads. */
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
    /** An operator alert that must be raised once only (a deadline reminder): replicas and restarts insert the same key, and only the first one counts. */
    dedupeKey: text('dedupe_key'),
  },
  (table) => [index('notification_events_pending_idx').on(table.fannedOutAt, table.createdAt), uniqueIndex('notification_events_dedupe_key_idx').on(table.dedupeKey)],
);
