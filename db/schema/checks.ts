import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { components } from './components.ts';

export const checks = pgTable(
  'checks',
  {
    componentId: text('component_id').notNull().references(() => components.id),
    /** Unique within the component (see `checkId` in config/). */
    checkId: text('check_id').notNull(),
    kind: text('kind').notNull(),
    intervalSeconds: integer('interval_seconds').notNull(),
    /** Regions that run the check; null means every region. */
    regions: jsonb('regions').$type<string[] | null>(),
    /** The check as configured, handed to probes in their assignment. */
    spec: jsonb('spec').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.componentId, table.checkId] })],
);
