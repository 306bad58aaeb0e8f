import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { deriveToken, hashToken, newNonce } from './tokens.ts';
import { validateAddress } from './validate-address.ts';

const CONFIRM_HOURS = 24;
/** A confirmation never clicked is purged after this long: the address is the only personal data. */
export const UNCONFIRMED_KEPT_DAYS = 7;

async function livePage(db: Database, pageId: string) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${pageId}"`);
  return page;
}

/** How a followed group is stored beside component ids: a group and a component may share an id. */
export const GROUP_PREFIX = 'group:';

/**
 * The page's components and groups a reader chose, as stored: component ids,
 * and `group:<id>` for a group, which stands for all its components, those it
 * has now and those added later (events carry their components' groups too).
 * A plain id names a component, else a group; `group:<id>` names a group.
 */
export async function resolveComponents(db: Database, pageId: string, chosen: string[]): Promise<string[]> {
  if (chosen.length === 0) return [];
  const rows = await db
    .select({ id: tables.components.id, groupId: tables.components.groupId })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .where(and(eq(tables.componentGroups.pageId, pageId), isNull(tables.components.retiredAt)));
  const groups = await db.select({ id: tables.componentGroups.id }).from(tables.componentGroups).where(and(eq(tables.componentGroups.pageId, pageId), isNull(tables.componentGroups.retiredAt)));
  const stored = chosen.map((id) => {
    if (!id.startsWith(GROUP_PREFIX) && rows.some((r) => r.id === id)) return id;
    const groupId = id.startsWith(GROUP_PREFIX) ? id.slice(GROUP_PREFIX.length) : id;
    return groups.some((g) => g.id === groupId) ? `${GROUP_PREFIX}${groupId}` : null;
  });
  const unknown = chosen.filter((_, i) => stored[i] === null);
  if (unknown.length > 0) throw new DomainError('VALIDATION', `not components or groups of page "${pageId}": ${unknown.join(', ')}`, { problem: 'unknown_component' });
  return [...new Set(stored as string[])].sort();
}

function languageFor(page: { languages: string[]; defaultLanguage: string }, wanted: string | undefined): string {
  if (wanted === undefined || wanted === '') return page.defaultLanguage;
  if (!page.languages.includes(wanted)) throw new DomainError('VALIDATION', `page offers ${page.languages.join(', ')}; not "${wanted}"`, { problem: 'unknown_language' });
  return wanted;
}

/**
 * Asks for a subscription: queues a confirmation mail (double opt-in). The
 * outcome is the same whatever the address's state, so the answer never
 * tells whether it is subscribed already: a new address gets a subscriber
 * row and a confirmation, an unconfirmed or bounced one a fresh
 * confirmation, a confirmed one that receives mail nothing at all.
 */
export async function requestSubscription(db: Database, args: { pageId: string; email: string; language?: string; componentIds: string[]; secret: string; now: Date }): Promise<void> {
  const page = await livePage(db, args.pageId);
  const checked = validateAddress(args.email);
  if (!checked.ok) throw new DomainError('VALIDATION', `the e-mail address is not usable (${checked.problem.replace('_', ' ')})`, { problem: checked.problem });
  const language = languageFor(page, args.language);
  const componentIds = await resolveComponents(db, page.id, args.componentIds);
  const s = tables.subscribers;
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [existing] = await tx.select().from(s).where(and(eq(s.pageId, page.id), eq(s.email, checked.address))).for('update');
    if (existing?.confirmedAt && !existing.bouncedAt) return;
    const confirmNonce = newNonce();
    const confirm = { confirmNonce, confirmTokenHash: hashToken(deriveToken(args.secret, 'confirm', confirmNonce)), confirmExpiresAt: new Date(args.now.getTime() + CONFIRM_HOURS * 3_600_000) };
    let subscriberId: string;
    if (existing) {
      // a bounced address is pending again: the outbox sends no mail, not even a confirmation, to a bounced
      // row, and no event mail to an unconfirmed one, so nothing reaches it until the fresh link is used
      await tx.update(s).set({ ...confirm, language, componentIds, confirmedAt: null, bouncedAt: null, bounceReason: null }).where(eq(s.id, existing.id));
      subscriberId = existing.id;
    } else {
      const manageNonce = newNonce();
      const [created] = await tx
        .insert(s)
        .values({ pageId: page.id, email: checked.address, language, componentIds, manageNonce, manageTokenHash: hashToken(deriveToken(args.secret, 'manage', manageNonce)), ...confirm, createdAt: args.now })
        .onConflictDoNothing({ target: [s.pageId, s.email] })
        .returning({ id: s.id });
      // a twin request inserted it a moment ago and queued its confirmation: the same outcome
      if (!created) return;
      subscriberId = created.id;
    }
    await tx.insert(tables.outboxMessages).values({ kind: 'confirm', subscriberId, nextAttemptAt: args.now, createdAt: args.now });
  });
}

/** The address a confirmation token was sent to, used or not, expired or not; null for an unknown token. */
export async function confirmationAddress(db: Database, token: string): Promise<string | null> {
  const s = tables.subscribers;
  const [row] = await db.select({ email: s.email }).from(s).where(eq(s.confirmTokenHash, hashToken(token)));
  return row?.email ?? null;
}

/** Uses a confirmation token once: the subscription starts, and a bounce recorded before is forgotten (the reader has just read mail there). Unknown, used and expired tokens are one answer. */
export async function confirmSubscription(db: Database, args: { token: string; now: Date }) {
  const s = tables.subscribers;
  const [confirmed] = await db
    .update(s)
    .set({ confirmedAt: args.now, confirmNonce: null, confirmTokenHash: null, confirmExpiresAt: null, bouncedAt: null, bounceReason: null })
    .where(and(eq(s.confirmTokenHash, hashToken(args.token)), gt(s.confirmExpiresAt, args.now)))
    .returning({ id: s.id, pageId: s.pageId, language: s.language });
  if (!confirmed) throw new DomainError('NOT_FOUND', 'this confirmation link is unknown, used or expired (links work once, for 24 hours); subscribe again', { problem: 'bad_token' });
  return confirmed;
}

/** The subscription a manage/unsubscribe token belongs to. */
export async function subscriptionByToken(db: Database, token: string) {
  const [row] = await db.select().from(tables.subscribers).where(eq(tables.subscribers.manageTokenHash, hashToken(token)));
  if (!row) throw new DomainError('NOT_FOUND', 'no subscription has this link; it may have been unsubscribed already', { problem: 'bad_token' });
  return row;
}

/** Changes the components and the language of a subscription. */
export async function updateSubscription(db: Database, args: { token: string; language?: string; componentIds: string[] }) {
  const subscriber = await subscriptionByToken(db, args.token);
  const page = await livePage(db, subscriber.pageId);
  const componentIds = await resolveComponents(db, page.id, args.componentIds);
  const [updated] = await db.update(tables.subscribers).set({ language: languageFor(page, args.language ?? subscriber.language), componentIds }).where(eq(tables.subscribers.id, subscriber.id)).returning();
  return updated!;
}

/** Deletes the subscriber (and with it any mail still queued for it) at once. Unknown tokens are not an error: the outcome is the same. */
export async function unsubscribe(db: Database, args: { token: string }): Promise<{ pageId: string; language: string } | null> {
  const [deleted] = await db.delete(tables.subscribers).where(eq(tables.subscribers.manageTokenHash, hashToken(args.token))).returning({ pageId: tables.subscribers.pageId, language: tables.subscribers.language });
  return deleted ?? null;
}

/**
 * Deletes subscriptions whose latest confirmation was not clicked within the
 * retention, counted from when that confirmation was asked for: a reader who
 * asks again gets the full retention with the fresh link.
 */
export async function purgeUnconfirmed(db: Database, now: Date): Promise<number> {
  const s = tables.subscribers;
  // an unconfirmed row always has its latest confirmation's expiry, set CONFIRM_HOURS after the request
  const requestedBefore = new Date(now.getTime() - UNCONFIRMED_KEPT_DAYS * 86_400_000 + CONFIRM_HOURS * 3_600_000);
  const purged = await db
    .delete(s)
    .where(and(isNull(s.confirmedAt), or(lt(s.confirmExpiresAt, requestedBefore), and(isNull(s.confirmExpiresAt), lt(s.createdAt, new Date(now.getTime() - UNCONFIRMED_KEPT_DAYS * 86_400_000))))))
    .returning({ id: s.id });
  return purged.length;
}

/** An operator's view of a page's subscribers: counts, and the list for CSV. */
export async function listSubscribers(db: Database, args: { pageId: string; actor: Actor }) {
  const page = await livePage(db, args.pageId);
  requireOrganisation(args.actor, page.organisationId);
  const s = tables.subscribers;
  const rows = await db
    .select({ email: s.email, language: s.language, componentIds: s.componentIds, createdAt: s.createdAt, confirmedAt: s.confirmedAt, bouncedAt: s.bouncedAt, bounceReason: s.bounceReason })
    .from(s)
    .where(eq(s.pageId, page.id))
    .orderBy(s.email);
  return {
    pageId: page.id,
    counts: { total: rows.length, confirmed: rows.filter((r) => r.confirmedAt).length, pending: rows.filter((r) => !r.confirmedAt).length, bounced: rows.filter((r) => r.bouncedAt).length },
    subscribers: rows,
  };
}

