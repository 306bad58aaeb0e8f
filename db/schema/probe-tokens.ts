import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

/**
 * A remote probe's credential. The token is shown once at creation; only a
 * SHA-256 of its secret part is stored (the secret is 32 random bytes, so a
 * fast hash is safe here, unlike for passwords).
 */
export const probeTokens = pgTable('probe_tokens', {
  /** The public part of the token, used to find the row. */
  id: text('id').primaryKey(),
  regionId: text('region_id').notNull().references(() => regions.id),
  label: text('label'),
  secretSha256: text('secret_sha256').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
