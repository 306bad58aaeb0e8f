import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A planned service window. The announced span [planned_start, planned_end)
 * leaves the SLA fraction; time past planned_end until actual_end is overrun
 * and counts as downtime.
 */
export const serviceWindows = pgTable(
  'service_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    componentIds: text('component_ids').array().notNull(),
    /** Localized text, as shown on the status page. */
    title: jsonb('title').notNull(),
    /** What the work is and what residents notice, per language (`{ da: …, en: … }`); null when none was written. */
    description: jsonb('description').$type<Record<string, string>>(),
    plannedStart: timestamp('planned_start', { withTimezone: true }).notNull(),
    plannedEnd: timestamp('planned_end', { withTimezone: true }).notNull(),
    announcedAt: timestamp('announced_at', { withTimezone: true }).notNull(),
    actualStart: timestamp('actual_start', { withTimezone: true }),
    actualEnd: timestamp('actual_end', { withTimezone: true }),
    /** Announced to run past its planned end (that time is overrun, counted as downtime). */
    extendedUntil: timestamp('extended_until', { withTimezone: true }),
    /** Accepted although it breaks the profile's policy; the broken rules are kept. */
    emergency: boolean('emergency').notNull().default(false),
    brokenRules: jsonb('broken_rules').$type<{ rule: string; message: string }[]>().notNull().default([]),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (table) => [index('service_windows_planned_idx').on(table.plannedStart, table.plannedEnd)],
);
