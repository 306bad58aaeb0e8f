import { bigint, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An operator account. Roles: admin, operator, viewer; scoped to organisations (null: all). */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'operator', 'viewer'] }).notNull(),
  organisationIds: jsonb('organisation_ids').$type<string[] | null>(),
  /** scrypt (memory-hard): `scrypt$N$r$p$salt$hash`, base64. */
  passwordHash: text('password_hash').notNull(),
  /** The TOTP secret when the second factor is on: `enc:v1:…` (AES-256-GCM, key from STATUSVAKT_SECRET_KEY) or, without a key, base32. */
  totpSecret: text('totp_secret'),
  /** The last 30-second TOTP step accepted, so a code is used once. */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});
