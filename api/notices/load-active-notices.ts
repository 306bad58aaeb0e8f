import { and, asc, eq, isNull } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import type { ThirdPartyNotice } from '../../probe/index.ts';

/**
 * A third party's notice as the page and the public API show it. `title`,
 * `body` and `url` are the third party's own text: plain text, escaped
 * wherever it is shown.
 */
export type PublicNotice = {
  id: string;
  /** The component whose source check reads it (the third party's service). */
  componentId: string;
  componentName: LocalizedText;
  kind: ThirdPartyNotice['kind'];
  impact: ThirdPartyNotice['impact'];
  title: string;
  body: string | null;
  url: string | null;
  startsAt: string | null;
  endsAt: string | null;
  /** When the third party last changed it, by its own word. */
  updatedAt: string | null;
  firstSeenAt: string;
  /** When a read last listed it. */
  lastSeenAt: string;
};

/** The notices not yet ended of the given components' checks, oldest first. */
export async function loadActiveNotices(db: Database, componentIds: readonly string[]): Promise<PublicNotice[]> {
  if (componentIds.length === 0) return [];
  const n = tables.thirdPartyNotices;
  const c = tables.components;
  const rows = await db
    .select({ notice: n, name: c.name })
    .from(n)
    .innerJoin(c, eq(c.id, n.componentId))
    .where(and(inList(n.componentId, [...componentIds]), isNull(n.endedAt), isNull(c.retiredAt)))
    .orderBy(asc(n.firstSeenAt), asc(n.externalId));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map(({ notice, name }) => ({
      id: notice.id,
      componentId: notice.componentId,
      componentName: name as LocalizedText,
      kind: notice.kind,
      impact: notice.impact,
      title: notice.title,
      body: notice.body,
      url: notice.url,
      startsAt: iso(notice.startsAt),
      endsAt: iso(notice.endsAt),
      updatedAt: iso(notice.updatedAt),
      firstSeenAt: notice.firstSeenAt.toISOString(),
      lastSeenAt: notice.lastSeenAt.toISOString(),
    }));
}
