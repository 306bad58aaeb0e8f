import { randomUUID } from 'node:crypto';
import { isNull, sql } from 'drizzle-orm';
import { localize, type LocalizedText } from '../../config/index.ts';
import { rowsOf, tables, type Database } from '../../db/index.ts';
import { loadPageStatus } from '../public/load-page-status.ts';
import { toStatuspageIndicator, type StatuspageComponentStatus } from '../public/to-statuspage.ts';
import { followedIds } from './followed-ids.ts';

/** What a `component_update` webhook says: one component's shown status changed. Statuspage's shape is made from it when sent. */
export type ComponentUpdatePayload = {
  page: { id: string; name: LocalizedText; defaultLanguage: string; statusIndicator: string; statusDescription: string };
  component: { id: string; name: LocalizedText; description: LocalizedText | null; groupId: string; position: number; createdAt: string; status: StatuspageComponentStatus };
  componentUpdate: { id: string; oldStatus: StatuspageComponentStatus; newStatus: StatuspageComponentStatus; createdAt: string };
};

/** Any constant works; it only has to be the same in every Statusvakt process. */
const COMPONENT_UPDATES_LOCK_KEY = 0x5747_0a02;

/**
 * Compares the status each page shows for each component (measured or
 * declared, the worse of the two, as Statuspage names it) with the last one
 * recorded, and for each change records a `component_update` event and queues
 * it, in the same transaction, for the page's enabled webhooks that follow the
 * component. Only pages with a webhook are looked at. The first look at a
 * component records what it shows and tells nobody, so a new webhook or an
 * upgrade does not set off a burst of stale news. These events are for
 * webhooks only: they are written already fanned out, so no subscriber mail
 * is made of them. Under an advisory lock, so replicas record each change once.
 */
export async function recordComponentUpdates(db: Database, now: Date): Promise<number> {
  const h = tables.webhookSubscribers;
  const pageIds = [...new Set((await db.selectDistinct({ pageId: h.pageId }).from(h).where(isNull(h.disabledAt))).map((r) => r.pageId))];
  if (pageIds.length === 0) return 0;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    await tx.execute(sql`select pg_advisory_xact_lock(${COMPONENT_UPDATES_LOCK_KEY})`);
    const last = new Map(
      rowsOf<{ component_id: string; status: StatuspageComponentStatus }>(
        await tx.execute(sql`
          select distinct on (component_ids[1]) component_ids[1] as component_id, payload->'componentUpdate'->>'newStatus' as status
          from notification_events where kind = 'component_update' and page_ids && ${`{${pageIds.join(',')}}`}::text[]
          order by component_ids[1], created_at desc`),
      ).map((r) => [r.component_id, r.status]),
    );
    let recorded = 0;
    for (const pageId of pageIds) {
      // one day of history is enough: only the status now is wanted
      const status = await loadPageStatus(tx, { pageId, now, days: 1 });
      if (!status) continue;
      const components = status.groups.flatMap((g) => g.components.map((c) => ({ ...c, groupId: g.id, position: g.components.indexOf(c) + 1 })));
      const indicator = toStatuspageIndicator(components.map((c) => c.shown.status));
      for (const c of components) {
        const before = last.get(c.id);
        if (c.shown.status === before) continue;
        const oldStatus = before ?? c.shown.status;
        const id = randomUUID();
        const payload: ComponentUpdatePayload = {
          page: { id: pageId, name: status.page.name, defaultLanguage: status.page.defaultLanguage, statusIndicator: indicator.indicator, statusDescription: localize(status.page.name, status.page.defaultLanguage) },
          component: { id: c.id, name: c.name, description: c.description, groupId: c.groupId, position: c.position, createdAt: c.createdAt, status: c.shown.status },
          componentUpdate: { id, oldStatus, newStatus: c.shown.status, createdAt: now.toISOString() },
        };
        await tx.insert(tables.notificationEvents).values({ id, kind: 'component_update', pageIds: [pageId], componentIds: followedIds([c.id], [c.groupId]), payload, createdAt: now, fannedOutAt: now });
        if (before === undefined) continue;
        await tx.execute(sql`
          insert into outbox_messages (kind, event_id, webhook_id, next_attempt_at, created_at)
          select 'webhook', ${id}::uuid, h.id, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz from webhook_subscribers h
          where h.page_id = ${pageId} and h.disabled_at is null and (cardinality(h.component_ids) = 0 or h.component_ids && ${`{${followedIds([c.id], [c.groupId]).join(',')}}`}::text[])`);
        recorded++;
      }
    }
    return recorded;
  });
}
