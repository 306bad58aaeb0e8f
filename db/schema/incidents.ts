import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * An incident: a fault registered and classified A–D, with the times that
 * matter (detected, registered, acknowledged = the reaction, resolved).
 */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pageId: text('page_id').notNull(),
    title: jsonb('title').notNull(),
    priority: text('priority', { enum: ['A', 'B', 'C', 'D'] }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] }).notNull(),
    componentIds: text('component_ids').array().notNull(),
    /** Opened by the quorum state (true) or by an operator. */
    automatic: boolean('automatic').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** Optimistic concurrency: an edit names the version it read. */
    version: integer('version').notNull().default(1),
    /** Set when an operator wrote the title: an automatic title stops following the affected components. */
    titleEditedAt: timestamp('title_edited_at', { withTimezone: true }),
    /** Closed because an operator merged it into this incident, which now carries its components and updates. */
    mergedIntoId: uuid('merged_into_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('incidents_open_idx').on(table.resolvedAt)],
);

/** One published update of an incident, fulfilling a step of the communication plan. */
export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id),
    /** The incident's version this update made: orders updates even within one millisecond. */
    incidentVersion: integer('incident_version').notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] }).notNull(),
    step: text('step', { enum: ['registered', 'nature', 'status_estimate', 'running_status', 'operation_normal', 'post_incident_report'] }).notNull(),
    /** Text per language, stored as written; rendered escaped. */
    body: jsonb('body').$type<Record<string, string>>().notNull(),
    /** Components and their impact at this update. */
    impact: jsonb('impact').$type<Record<string, 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance' | 'operational'>>().notNull(),
    /** The structured estimate of when it is fixed. */
    estimatedFixAt: timestamp('estimated_fix_at', { withTimezone: true }),
    author: text('author').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('incident_updates_incident_idx').on(table.incidentId, table.publishedAt)],
);
