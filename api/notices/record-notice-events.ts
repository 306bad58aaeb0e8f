import { and, eq, isNull, sql } from 'drizzle-orm';
import { localize, type LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import type { ThirdPartyNotice } from '../../probe/index.ts';
import { recordAlert } from '../notifications/record-alert.ts';
import { describeComponents, type EventComponent, type EventPage } from '../notifications/record-event.ts';
import type { NoticeChange } from './diff-notices.ts';
import type { StoredNoticeChange } from './store-notices.ts';

/** What a `third_party_notice` event says: a snapshot, so rendering needs no further reads. */
export type NoticePayload = {
  pages: EventPage[];
  /** The components it concerns: the third party's own and those that depend on it. */
  components: EventComponent[];
  thirdParty: { id: string; name: LocalizedText };
  change: NoticeChange;
  notice: {
    id: string;
    kind: ThirdPartyNotice['kind'];
    impact: ThirdPartyNotice['impact'];
    title: string;
    body: string | null;
    url: string | null;
    startsAt: string | null;
    endsAt: string | null;
    lastSeenAt: string;
    endedAt: string | null;
  };
};

/**
 * Records each notice change for the subscribers of the components it
 * concerns (the source's component and its dependents) and raises an
 * operator alert, in the caller's transaction: the change and its news
 * commit together, so none is lost or told twice.
 */
export async function recordNoticeEvents(tx: Database, changes: readonly StoredNoticeChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const n = tables.thirdPartyNotices;
  const c = tables.components;
  const rows = await tx.select().from(n).where(inList(n.id, changes.map((x) => x.noticeId)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const affectedOf = new Map<string, string[]>();
  for (const source of new Set(changes.map((x) => x.componentId))) {
    const dependents = await tx
      .select({ id: c.id })
      .from(c)
      .where(and(isNull(c.retiredAt), sql`${c.dependsOn} @> ${JSON.stringify([{ componentId: source }])}::jsonb`));
    affectedOf.set(source, [source, ...dependents.map((d) => d.id).sort()]);
  }
  for (const change of changes) {
    const row = byId.get(change.noticeId);
    if (!row) continue;
    const affected = affectedOf.get(change.componentId)!;
    const described = await describeComponents(tx, affected);
    const [source] = await tx.select({ name: c.name }).from(c).where(eq(c.id, change.componentId));
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const payload: NoticePayload = {
      pages: described.pages,
      components: described.components,
      thirdParty: { id: change.componentId, name: (source?.name ?? change.componentId) as LocalizedText },
      change: change.change,
      notice: { id: row.id, kind: row.kind, impact: row.impact, title: row.title, body: row.body, url: row.url, startsAt: iso(row.startsAt), endsAt: iso(row.endsAt), lastSeenAt: row.lastSeenAt.toISOString(), endedAt: iso(row.endedAt) },
    };
    if (described.pages.length > 0) {
      await tx.insert(tables.notificationEvents).values({ kind: 'third_party_notice', pageIds: described.pages.map((p) => p.id), componentIds: described.followedBy, payload, createdAt: now });
    }
    // each organisation whose components are concerned hears of it on its own routes
    for (const [organisationId, own] of await organisationsOf(tx, affected)) {
      await recordAlert(tx, {
        event: 'third_party_notice',
        organisationId,
        priority: null,
        componentIds: [...new Set([change.componentId, ...own])],
        pageIds: described.pages.map((p) => p.id),
        detail: { thirdParty: localize(payload.thirdParty.name, 'en'), change: change.change, kind: row.kind, impact: row.impact, title: row.title, url: row.url, startsAt: iso(row.startsAt), endsAt: iso(row.endsAt) },
        now,
      });
    }
  }
}

/** The components grouped by the organisation whose page shows them. */
async function organisationsOf(tx: Database, componentIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await tx
    .select({ id: tables.components.id, organisationId: tables.statusPages.organisationId })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(inList(tables.components.id, [...componentIds]));
  const byOrganisation = new Map<string, string[]>();
  for (const row of rows) byOrganisation.set(row.organisationId, [...(byOrganisation.get(row.organisationId) ?? []), row.id]);
  return byOrganisation;
}
