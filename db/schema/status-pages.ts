import { boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';

export const statusPages = pgTable('status_pages', {
  id: text('id').primaryKey(),
  organisationId: text('organisation_id').notNull().references(() => organisations.id),
  /** Localized text: a string or `{ da: …, en: … }`. */
  name: jsonb('name').notNull(),
  defaultLanguage: text('default_language').notNull(),
  languages: jsonb('languages').$type<string[]>().notNull(),
  timeZone: text('time_zone').notNull(),
  position: integer('position').notNull(),
  /** Publish the "registered" step for automatic A and B incidents at once. */
  autoPublishRegistered: boolean('auto_publish_registered').notNull().default(true),
  /** Hours a resolved incident stays on the front page. */
  recentlyResolvedHours: integer('recently_resolved_hours').notNull().default(24),
  /** Where visitors report accessibility barriers: `{ email, phone?, url?, reviewed? }`, or null. */
  accessibility: jsonb('accessibility').$type<{ email: string; phone?: string; url?: string; reviewed?: string }>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
