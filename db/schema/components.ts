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
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
