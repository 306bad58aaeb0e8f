import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every change, append-only: who, when, what, and the entity before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** A user's e-mail, `token:<id>`, or `system` for automatic actions. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** The organisation the entity belongs to; null for changes that belong to none (accounts, system-wide). */
    organisationId: text('organisation_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [index('audit_log_entity_idx').on(table.entity, table.entityId), index('audit_log_organisation_idx').on(table.organisationId, table.id)],
);
