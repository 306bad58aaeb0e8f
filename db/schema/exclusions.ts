import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Time not held against the provider (consumer fault, general network fault,
 * force majeure, agreed upgrade, announced stop): kept in potential time and
 * counted as available. Each has a reason, an author and a timestamp.
 */
export const exclusions = pgTable(
  'exclusions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    componentIds: text('component_ids').array().notNull(),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    note: text('note').notNull().default(''),
    author: text('author').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [index('exclusions_span_idx').on(table.startAt, table.endAt)],
);
