import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { componentGroups } from './component-groups.ts';

export const components = pgTable('components', {
  id: text('id').primaryKey(),
  groupId: text('group_id').notNull().references(() => componentGroups.id),
  name: jsonb('name').notNull(),
  description: jsonb('description'),
  slaProfileId: text('sla_profile_id'),
  serviceCategory: text('service_category'),
  position: integer('position').notNull(),
  /** Regions that must have a fresh result for a state verdict (config: the component's or the top-level `quorum`); null: a majority of those running its checks. */
  minFreshRegions: integer('min_fresh_regions'),
  /** Components whose trouble shows on this one (config `dependsOn`), with the least state it then shows. */
  dependsOn: jsonb('depends_on').$type<{ componentId: string; effect: 'degraded' | 'down' }[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
