import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { resolveComponents } from './subscription-service.ts';
import { checkWebhookUrl } from './webhook-address.ts';

async function ownPage(db: Database, pageId: string, actor: Actor) {
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${pageId}"`);
  requireOrganisation(actor, page.organisationId);
  return page;
}

/** Adds a partner's webhook to a page; the signing secret is returned this once. */
export async function addWebhook(db: Database, args: { pageId: string; url: string; componentIds: string[]; allowInternal: boolean; actor: Actor; now: Date }) {
  const page = await ownPage(db, args.pageId, args.actor);
  const checked = await checkWebhookUrl(args.url, { allowInternal: args.allowInternal });
  if (!checked.ok) throw new DomainError('VALIDATION', `webhook url: ${checked.reason}`, { problem: 'webhook_url' });
  // an unknown id is refused by name: a typo would otherwise follow nothing, silently
  const componentIds = await resolveComponents(db, page.id, args.componentIds);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const [row] = await db.insert(tables.webhookSubscribers).values({ pageId: page.id, url: checked.url.toString(), secret, componentIds, createdBy: args.actor.email, createdAt: args.now }).returning();
  await recordAudit(db, { actor: args.actor, action: 'webhook.add', entity: 'webhook', entityId: row!.id, organisationId: page.organisationId, before: null, after: { ...row, secret: '(hidden)' }, at: args.now });
  return { id: row!.id, url: row!.url, componentIds: row!.componentIds, secret };
}

export async function listWebhooks(db: Database, args: { pageId: string; actor: Actor }) {
  await ownPage(db, args.pageId, args.actor);
  const h = tables.webhookSubscribers;
  const rows = await db.select().from(h).where(eq(h.pageId, args.pageId)).orderBy(h.createdAt);
  return rows.map((r) => ({ id: r.id, url: r.url, componentIds: r.componentIds, createdAt: r.createdAt, disabledAt: r.disabledAt, disabledReason: r.disabledReason, permanentFailures: r.permanentFailures }));
}

export async function removeWebhook(db: Database, args: { pageId: string; id: string; actor: Actor; now: Date }) {
  const page = await ownPage(db, args.pageId, args.actor);
  const h = tables.webhookSubscribers;
  const [gone] = /^[0-9a-f-]{36}$/.test(args.id) ? await db.delete(h).where(and(eq(h.id, args.id), eq(h.pageId, args.pageId))).returning() : [];
  if (!gone) throw new DomainError('NOT_FOUND', `no webhook "${args.id}" on page "${args.pageId}"`);
  await recordAudit(db, { actor: args.actor, action: 'webhook.remove', entity: 'webhook', entityId: gone.id, organisationId: page.organisationId, before: { ...gone, secret: '(hidden)' }, after: null, at: args.now });
}
