import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { rollupCounts } from './rollup-counts.ts';

/**
 * The hourly rollups of each whole local day added up, per check and region,
 * in the time zone of the component's page: a 30-day chart reads 30 rows a
 * region instead of 720 hours. Made by the evaluator from `result_hours` once
 * a day is over, and again whenever a late result reaches it; a day of
 * another zone (the page's zone changed) or not made yet is read from its
 * hours instead, so a missing row costs time, never a wrong figure.
 */
export const resultDays = pgTable(
  'result_days',
  {
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    /** The IANA zone the day is local to (the page's). */
    timeZone: text('time_zone').notNull(),
    /** Local midnight; the day holds the hours that start from then until the next local midnight. */
    dayStart: timestamp('day_start', { withTimezone: true }).notNull(),
    ...rollupCounts(),
  },
  (table) => [primaryKey({ columns: [table.componentId, table.checkId, table.regionId, table.timeZone, table.dayStart] })],
);
