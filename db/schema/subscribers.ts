import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * An e-mail subscriber of one status page. The address is the only personal
 * data; unsubscribing deletes the row. Tokens are never stored, only their
 * SHA-256 hashes: a leaked table cannot confirm or unsubscribe anyone.
 */
export const subscribers = pgTable(
  'subscribers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pageId: text('page_id').notNull(),
    /** Lower-cased, trimmed. */
    email: text('email').notNull(),
    language: text('language').notNull(),
    /** Components followed, and groups as `group:<id>` (all their components, now and later); empty means every component of the page. */
    componentIds: text('component_ids').array().notNull().default([]),
    /** Random per subscriber; the manage/unsubscribe token is derived from it and the server secret. */
    manageNonce: text('manage_nonce').notNull(),
    manageTokenHash: text('manage_token_hash').notNull(),
    /** Set until confirmed; cleared when used (single use). */
    confirmNonce: text('confirm_nonce'),
    confirmTokenHash: text('confirm_token_hash'),
    confirmExpiresAt: timestamp('confirm_expires_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** A permanent delivery failure (5xx, unknown mailbox): nothing more is sent. */
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    bounceReason: text('bounce_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('subscribers_page_email_idx').on(table.pageId, table.email),
    uniqueIndex('subscribers_manage_token_idx').on(table.manageTokenHash),
    uniqueIndex('subscribers_confirm_token_idx').on(table.confirmTokenHash),
    index('subscribers_page_confirmed_idx').on(table.pageId, table.confirmedAt),
  ],
);
