import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { statusPages } from './status-pages.ts';

export const componentGroups = pgTable('component_groups', {
  id: text('id').primaryKey(),
  pageId: text('page_id').notNull().references(() => statusPages.id),
  name: jsonb('name').notNull(),
  position: integer('position').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
