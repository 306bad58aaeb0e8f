import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A component status an operator declared by hand, without an incident (for a
 * fault the probes cannot see). Shown from `set_at` until `expires_at`, or
 * until cleared; the page shows the worse of this and the measured state.
 */
export const componentStatusOverrides = pgTable(
  'component_status_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    componentId: text('component_id').notNull(),
    status: text('status', { enum: ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] }).notNull(),
    /** Why, for other operators; never shown on the public page. */
    note: text('note'),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
  },
  (table) => [index('component_status_overrides_live_idx').on(table.componentId, table.expiresAt)],
);
