import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A partner system told by webhook: Statuspage-shaped JSON POSTed to `url`,
 * signed with HMAC-SHA256 under `secret` (made by Statusvakt, shown once).
 * Disabled, with the reason, after repeated permanent failures.
 */
export const webhookSubscribers = pgTable(
  'webhook_subscribers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pageId: text('page_id').notNull(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    /** Components followed, and groups as `group:<id>`; empty means all of the page's. */
    componentIds: text('component_ids').array().notNull().default([]),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    permanentFailures: integer('permanent_failures').notNull().default(0),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledReason: text('disabled_reason'),
  },
  (table) => [index('webhook_subscribers_page_idx').on(table.pageId)],
);
