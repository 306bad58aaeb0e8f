import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { rollupCounts } from './rollup-counts.ts';

/**
 * What each check measured from each region in each UTC hour: the evaluator
 * adds the results each ingest mark names (stored once, named once, so a
 * replay counts nothing twice) in the round that takes the mark. Kept for good,
 * while raw results go with their retention: the component pages' charts
 * and long-range figures read these rows, never the raw results.
 */
export const resultHours = pgTable(
  'result_hours',
  {
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    regionId: text('region_id').notNull(),
    /** The start of the UTC hour the results started in. */
    hourStart: timestamp('hour_start', { withTimezone: true }).notNull(),
    ...rollupCounts(),
  },
  (table) => [
    primaryKey({ columns: [table.componentId, table.checkId, table.regionId, table.hourStart] }),
    // a component's hours over a range (its chart, its days added up), without walking all its years of hours
    index('result_hours_component_hour_idx').on(table.componentId, table.hourStart),
  ],
);
