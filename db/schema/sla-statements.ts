import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A final month's figures, frozen: the statement document (inputs and
 * figures) with its content hash. A change behind a frozen month adds a new
 * version with a reason; earlier versions stay.
 */
export const slaStatements = pgTable(
  'sla_statements',
  {
    id: serial('id').primaryKey(),
    /** `component`, `category` or `page`. */
    scope: text('scope').notNull(),
    scopeId: text('scope_id').notNull(),
    periodKey: text('period_key').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    /**
     * The document's figures, kept beside it by the database: a report of a year reads twelve months of
     * figures for every scope, and reaching into the document would read all of it (every state, as text).
     */
    figures: jsonb('figures').generatedAlwaysAs(sql`document -> 'figures'`),
    contentSha256: text('content_sha256').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('sla_statements_version_idx').on(table.scope, table.scopeId, table.periodKey, table.version),
    index('sla_statements_period_idx').on(table.periodKey),
  ],
);
