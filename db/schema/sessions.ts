import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/** A console login. Only a SHA-256 of the cookie value is stored. */
export const sessions = pgTable('sessions', {
  idSha256: text('id_sha256').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  /** Sent back in a header or form field on every change, so another site cannot forge one. */
  csrfToken: text('csrf_token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
