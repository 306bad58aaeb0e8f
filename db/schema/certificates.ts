import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Each certificate a check has seen, once, by the SHA-256 of its JSON (as
 * PostgreSQL writes a jsonb value, so the same certificate always hashes
 * alike). Raw results point here; a certificate changes a few times a year,
 * a result comes every minute.
 */
export const certificates = pgTable('certificates', {
  sha256: text('sha256').primaryKey(),
  certificate: jsonb('certificate').notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
});
