import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed logins per key (`address:<ip>` or `account:<e-mail>`), shared by every
 * replica through the database. A row is a fixed window of failures; for
 * accounts, `nextAllowedAt` holds the progressive delay.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  failures: integer('failures').notNull(),
  nextAllowedAt: timestamp('next_allowed_at', { withTimezone: true }),
});
