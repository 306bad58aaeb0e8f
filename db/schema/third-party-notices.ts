import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * What a third party reports about its own service (an incident, an advisory
 * or a planned maintenance), as its source check last read it. Kept per check
 * and the source's own id, so each read updates the same row; a notice the
 * source no longer lists is ended (`ended_at`), not deleted, so the page and
 * the mails can say it is over. The text is the third party's, stored as plain
 * text and never trusted as HTML.
 */
export const thirdPartyNotices = pgTable(
  'third_party_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    componentId: text('component_id').notNull(),
    checkId: text('check_id').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: ['incident', 'advisory', 'maintenance'] }).notNull(),
    impact: text('impact', { enum: ['none', 'degraded', 'down', 'maintenance'] }).notNull(),
    title: text('title').notNull(),
    body: text('body'),
    url: text('url'),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** When the third party last changed it, by its own word. */
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    /** The start of the first result that listed it. */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    /** The start of the newest result that listed it: an older or replayed result changes nothing. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** The start of the first newer result that no longer listed it. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('third_party_notices_check_external_idx').on(table.componentId, table.checkId, table.externalId), index('third_party_notices_active_idx').on(table.componentId, table.endedAt)],
);
