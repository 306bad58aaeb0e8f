import type { ThirdPartyNotice } from '../../probe/index.ts';

/** A notice as stored: what the diff needs of a row. */
export type StoredNotice = {
  id: string;
  externalId: string;
  kind: ThirdPartyNotice['kind'];
  impact: ThirdPartyNotice['impact'];
  title: string;
  body: string | null;
  url: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  updatedAt: Date | null;
  lastSeenAt: Date;
  endedAt: Date | null;
};

/** Which change a reader is told about: title, body and impact are what a person reads; a new url or date alone is not news. */
export type NoticeChange = 'new' | 'updated' | 'ended';

export type NoticeDiff = {
  insert: ThirdPartyNotice[];
  /** Rows listed again: their fields refreshed and `lastSeenAt` moved on; `change` is set when a reader should hear of it. */
  refresh: { id: string; notice: ThirdPartyNotice; change: 'updated' | 'new' | null }[];
  end: string[];
};

/**
 * What one read of a source changes among the notices of its check. The read
 * is the complete list, so a notice it leaves out is over. A read counts only
 * against rows it is newer than: a replayed or late result never reopens,
 * rewrites or ends what a newer read said. A notice never seen before is
 * taken only from a read newer than every sighting and ending the check has,
 * so a late result cannot bring back something a newer read had dropped. Pure.
 */
export function diffNotices(args: { stored: readonly StoredNotice[]; listed: readonly ThirdPartyNotice[]; readAt: Date }): NoticeDiff {
  const byExternalId = new Map(args.stored.map((row) => [row.externalId, row]));
  const newestMark = args.stored.reduce((max, row) => Math.max(max, row.lastSeenAt.getTime(), row.endedAt?.getTime() ?? 0), 0);
  const read = args.readAt.getTime();
  const diff: NoticeDiff = { insert: [], refresh: [], end: [] };
  const listedIds = new Set<string>();
  for (const notice of args.listed) {
    // a source listing one id twice is taken at its first entry
    if (listedIds.has(notice.externalId)) continue;
    listedIds.add(notice.externalId);
    const row = byExternalId.get(notice.externalId);
    if (!row) {
      if (read > newestMark) diff.insert.push(notice);
      continue;
    }
    if (read <= row.lastSeenAt.getTime()) continue;
    // an ended notice listed again by a newer read is news again
    const change = row.endedAt !== null ? (read > row.endedAt.getTime() ? 'new' : null) : readsDifferently(row, notice) ? 'updated' : null;
    if (row.endedAt !== null && change === null) continue;
    diff.refresh.push({ id: row.id, notice, change });
  }
  for (const row of args.stored) {
    if (row.endedAt === null && !listedIds.has(row.externalId) && read > row.lastSeenAt.getTime()) diff.end.push(row.id);
  }
  return diff;
}

function readsDifferently(row: StoredNotice, notice: ThirdPartyNotice): boolean {
  return row.title !== notice.title || (row.body ?? null) !== (notice.body ?? null) || row.impact !== notice.impact;
}
