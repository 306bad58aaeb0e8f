import { index, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The measured state of a component over time, changes only: each row is a
 * half-open interval [started_at, ended_at); the open row (ended_at null) is
 * the current state.
 */
export const stateIntervals = pgTable(
  'state_intervals',
  {
    id: serial('id').primaryKey(),
    componentId: text('component_id').notNull(),
    state: text('state', { enum: ['up', 'degraded', 'down', 'unknown'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    index('state_intervals_component_started_idx').on(table.componentId, table.startedAt),
    // at most one open interval per component
    uniqueIndex('state_intervals_one_open_idx').on(table.componentId).where(sql`${table.endedAt} is null`),
  ],
);
