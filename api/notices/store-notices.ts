import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CheckResult } from '../../probe/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { diffNotices, type NoticeChange } from './diff-notices.ts';
import { recordNoticeEvents } from './record-notice-events.ts';

export type StoredNoticeChange = { noticeId: string; componentId: string; checkId: string; change: NoticeChange };

/**
 * Applies the notice lists of newly stored results to the notices of their
 * checks, oldest read first, so that within a batch the newest read has the
 * last word. Call it in the transaction that stores the results: a result and
 * what it says about the third party commit together. A per-check advisory
 * lock keeps two regions reading the same source from interleaving. What a
 * reader should hear of is recorded for the outbox in the same transaction,
 * and returned.
 */
export async function storeNotices(tx: Database, results: readonly CheckResult[], now: Date): Promise<StoredNoticeChange[]> {
  const reads = results.filter((r) => r.notices !== undefined).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const changes: StoredNoticeChange[] = [];
  const n = tables.thirdPartyNotices;
  for (const result of reads) {
    const readAt = new Date(Date.parse(result.startedAt));
    const key = { componentId: result.componentId, checkId: result.checkId };
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`third_party_notices/${key.componentId}/${key.checkId}`}))`);
    const stored = await tx.select().from(n).where(and(eq(n.componentId, key.componentId), eq(n.checkId, key.checkId)));
    const diff = diffNotices({ stored, listed: result.notices!, readAt });
    const fields = (notice: (typeof diff.insert)[number]) => ({
      kind: notice.kind,
      impact: notice.impact,
      title: notice.title,
      body: notice.body ?? null,
      url: notice.url ?? null,
      startsAt: notice.startsAt ? new Date(notice.startsAt) : null,
      endsAt: notice.endsAt ? new Date(notice.endsAt) : null,
      updatedAt: notice.updatedAt ? new Date(notice.updatedAt) : null,
    });
    if (diff.insert.length > 0) {
      const inserted = await tx
        .insert(n)
        .values(diff.insert.map((notice) => ({ ...key, externalId: notice.externalId, ...fields(notice), firstSeenAt: readAt, lastSeenAt: readAt })))
        .returning({ id: n.id });
      changes.push(...inserted.map((row) => ({ noticeId: row.id, ...key, change: 'new' as const })));
    }
    for (const { id, notice, change } of diff.refresh) {
      await tx.update(n).set({ ...fields(notice), lastSeenAt: readAt, endedAt: null }).where(eq(n.id, id));
      if (change) changes.push({ noticeId: id, ...key, change });
    }
    if (diff.end.length > 0) {
      await tx.update(n).set({ endedAt: readAt }).where(inArray(n.id, diff.end));
      changes.push(...diff.end.map((id) => ({ noticeId: id, ...key, change: 'ended' as const })));
    }
  }
  await recordNoticeEvents(tx, changes, now);
  return changes;
}
