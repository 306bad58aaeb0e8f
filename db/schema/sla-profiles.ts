import { jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const slaProfiles = pgTable('sla_profiles', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Null when the agreement promises no figure. */
  availabilityTargetPercent: numeric('availability_target_percent', { precision: 7, scale: 4, mode: 'number' }),
  timeZone: text('time_zone').notNull(),
  /** The profile as configured (coverage and the rest), kept whole so the SLA engine reads what the YAML said. */
  spec: jsonb('spec').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
