import { eq, sql } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { inList, rowsOf, tables, type Database } from '../../db/index.ts';
import { followedIds } from './followed-ids.ts';
import { recordComponentUpdates } from './record-component-updates.ts';

/** What a mail needs to know about a page: its name, languages and clock. */
export type EventPage = { id: string; name: LocalizedText; defaultLanguage: string; languages: string[]; timeZone: string };
export type EventComponent = { id: string; pageId: string; name: LocalizedText };

export type IncidentUpdatePayload = {
  pages: EventPage[];
  components: EventComponent[];
  incident: { id: string; title: LocalizedText; priority: string };
  update: { id: string; status: string; step: string; body: Record<string, string>; publishedAt: string; estimatedFixAt: string | null };
};
export type WindowPayload = {
  pages: EventPage[];
  components: EventComponent[];
  /** `description` per language; absent in events recorded before windows had one. */
  window: { id: string; title: LocalizedText; description?: Record<string, string> | null; plannedStart: string; plannedEnd: string; actualStart: string | null; actualEnd: string | null; extendedUntil: string | null };
};
export type NotificationKind = Exclude<(typeof tables.notificationEvents.$inferSelect)['kind'], 'operator_alert' | 'sla_report' | 'digest'>;
export type WindowKind = Exclude<NotificationKind, 'incident_update' | 'component_update' | 'third_party_notice'>;

/** The components (with their pages) an event concerns, read inside the causing transaction. */
/** The pages and names of components, as an event's payload carries them. */
export type DescribedComponents = Awaited<ReturnType<typeof describeComponents>>;

export async function describeComponents(tx: Database, componentIds: string[]) {
  const rows = await tx
    .select({ id: tables.components.id, name: tables.components.name, groupId: tables.components.groupId, page: tables.statusPages })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(inList(tables.components.id, componentIds));
  const pages = new Map<string, EventPage>();
  for (const r of rows) pages.set(r.page.id, { id: r.page.id, name: r.page.name as LocalizedText, defaultLanguage: r.page.defaultLanguage, languages: r.page.languages, timeZone: r.page.timeZone });
  return {
    pages: [...pages.values()],
    components: rows.map((r) => ({ id: r.id, pageId: r.page.id, name: r.name as LocalizedText })),
    followedBy: followedIds(componentIds, rows.map((r) => r.groupId)),
  };
}

/**
 * Records a published incident update for its subscribers. Call it with the
 * transaction that publishes the update: both are committed or neither.
 */
export async function recordIncidentUpdateEvent(
  tx: Database,
  args: { incident: typeof tables.incidents.$inferSelect; update: typeof tables.incidentUpdates.$inferSelect; now: Date; described?: DescribedComponents },
) {
  // the caller may have read the components before its transaction, so the transaction holds its locks for fewer round trips
  const { pages, components, followedBy } = args.described ?? (await describeComponents(tx, args.incident.componentIds));
  const payload: IncidentUpdatePayload = {
    pages: pages.filter((p) => p.id === args.incident.pageId),
    components,
    incident: { id: args.incident.id, title: args.incident.title as LocalizedText, priority: args.incident.priority },
    update: { id: args.update.id, status: args.update.status, step: args.update.step, body: args.update.body, publishedAt: args.update.publishedAt.toISOString(), estimatedFixAt: args.update.estimatedFixAt?.toISOString() ?? null },
  };
  await tx.insert(tables.notificationEvents).values({ kind: 'incident_update', pageIds: [args.incident.pageId], componentIds: followedBy, payload, createdAt: args.now });
}

/** Records a service window announced, started, overrunning, ended or cancelled; call it inside the transaction that changes the window. */
export async function recordWindowEvent(tx: Database, args: { kind: WindowKind; window: typeof tables.serviceWindows.$inferSelect; now: Date }) {
  const w = args.window;
  const { pages, components, followedBy } = await describeComponents(tx, w.componentIds);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const payload: WindowPayload = {
    pages,
    components,
    window: { id: w.id, title: w.title as LocalizedText, description: w.description ?? null, plannedStart: w.plannedStart.toISOString(), plannedEnd: w.plannedEnd.toISOString(), actualStart: iso(w.actualStart), actualEnd: iso(w.actualEnd), extendedUntil: iso(w.extendedUntil) },
  };
  await tx.insert(tables.notificationEvents).values({ kind: args.kind, pageIds: pages.map((p) => p.id), componentIds: followedBy, payload, createdAt: args.now });
}

/** Any constant works; it only has to be the same in every Statusvakt process. */
const DUE_WINDOWS_LOCK_KEY = 0x5747_0a01;
/** Windows that began or ended longer ago than this are history, not news (e.g. on the first start after an upgrade). */
const NEWS_HORIZON_MS = 86_400_000;

/**
 * A window starts and ends by the clock as well as by an operator's hand:
 * records `window_started` once its start has passed (unless it has already
 * ended); `window_overrunning` once the planned (or extended) end of a window
 * an operator started has passed while it is still open, once per end, so an
 * extension that is overrun again is news again; and `window_ended` once it
 * really ends: when closed, or, for a window nobody started by hand, when its
 * planned (or extended) end passes. This is the SLA's reading: a started
 * window's time past its planned end is overrun until it is closed. An
 * operator's start or close has recorded the event already, so it is not
 * repeated. Under an advisory lock, so replicas running this together record
 * each event once. The outbox worker calls this every 10 seconds, so the same
 * round also records the components' shown-status changes for webhooks
 * (recordComponentUpdates); the count returned is the windows' events.
 */
export async function recordDueWindowEvents(db: Database, now: Date): Promise<number> {
  const recorded = await recordWindowEventsByClock(db, now);
  await recordComponentUpdates(db, now);
  return recorded;
}

async function recordWindowEventsByClock(db: Database, now: Date): Promise<number> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    await tx.execute(sql`select pg_advisory_xact_lock(${DUE_WINDOWS_LOCK_KEY})`);
    const at = now.toISOString();
    const horizon = new Date(now.getTime() - NEWS_HORIZON_MS).toISOString();
    // the end a window is planned to have: its extension, else its planned end
    const due = rowsOf<{ id: string; kind: WindowKind }>(
      await tx.execute(sql`
        select w.id, k.kind from service_windows w
        cross join (values ('window_started'), ('window_overrunning'), ('window_ended')) as k(kind)
        where w.cancelled_at is null
          and case k.kind
            when 'window_started' then coalesce(w.actual_start, w.planned_start) <= ${at}::timestamptz and coalesce(w.actual_end, w.extended_until, w.planned_end) > ${at}::timestamptz
              and coalesce(w.actual_end, w.extended_until, w.planned_end) > ${horizon}::timestamptz
            when 'window_overrunning' then w.actual_start is not null and w.actual_end is null and coalesce(w.extended_until, w.planned_end) <= ${at}::timestamptz
              and coalesce(w.extended_until, w.planned_end) > ${horizon}::timestamptz
              and not exists (select 1 from notification_events e where e.kind = 'window_overrunning' and e.payload->'window'->>'id' = w.id::text
                and coalesce(e.payload->'window'->>'extendedUntil', e.payload->'window'->>'plannedEnd')::timestamptz = coalesce(w.extended_until, w.planned_end))
            else (w.actual_end is not null or w.actual_start is null) and coalesce(w.actual_end, w.extended_until, w.planned_end) <= ${at}::timestamptz
              and coalesce(w.actual_end, w.extended_until, w.planned_end) > ${horizon}::timestamptz
          end
          and (k.kind = 'window_overrunning' or not exists (select 1 from notification_events e where e.kind = k.kind and e.payload->'window'->>'id' = w.id::text))`),
    );
    for (const { id, kind } of due) {
      const [window] = await tx.select().from(tables.serviceWindows).where(eq(tables.serviceWindows.id, id));
      if (window) await recordWindowEvent(tx, { kind, window, now });
    }
    return due.length;
  });
}
