import { bigserial, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Components whose state timeline (and, after new results, hourly rollups) must be rebuilt from `from_at` on. Ingest
 * appends a row per touched component (a plain insert, which never waits on
 * another transaction); the evaluator claims rows with FOR UPDATE SKIP LOCKED
 * and rebuilds each component from its earliest claimed mark, so any number of
 * API processes share the work.
 */
export const evaluationMarks = pgTable('evaluation_marks', {
  // claimed in id order; no other index, so an append costs one index write
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  componentId: text('component_id').notNull(),
  fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
  /**
   * Set by ingest: new results start at `from_at`, so the hourly rollups from that hour on are made again
   * from the raw results. The periodic sweep's marks (no new result, only time passing) leave them alone.
   */
  withResults: boolean('with_results').notNull().default(false),
  /**
   * Set by ingest: the keys (start, id) of exactly the results this mark's batch stored for the component.
   * The evaluator adds those results to their hours in the round that takes the mark, so an hour costs
   * what arrived since the last round, not every result it holds. A mark with new results but no keys
   * (written before they existed) has its hours counted again from the raw results.
   */
  newStartedAt: timestamp('new_started_at', { withTimezone: true }).array(),
  newIds: uuid('new_ids').array(),
});
