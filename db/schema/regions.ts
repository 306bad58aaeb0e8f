import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const regions = pgTable('regions', {
  id: text('id').primaryKey(),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
