import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { recordAudit } from '../auth/audit.ts';
import { mayActOn, requireOrganisation } from '../auth/organisation-scope.ts';
import { DomainError } from '../http/errors.ts';
import { isUuid } from '../http/ids.ts';
import type { Impact } from './shown-status.ts';

/** A status set by hand ends within this long; a longer fault deserves an incident. */
const MAX_SPAN_MS = 30 * 86_400_000;

const actorName = (actor: Actor) => (actor.via === 'token' ? `${actor.email} (token ${actor.tokenId})` : actor.email);

/** The live component with its page's organisation; unknown ids are refused by name. */
async function componentOf(db: Database, componentId: string) {
  const [row] = await db
    .select({ id: tables.components.id, name: tables.components.name, organisationId: tables.statusPages.organisationId })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(and(eq(tables.components.id, componentId), isNull(tables.components.retiredAt)));
  if (!row) throw new DomainError('VALIDATION', `no component "${componentId}"; the components are listed at GET /api/v1/component-status`, { kind: 'component', id: componentId });
  return row;
}

/**
 * Declares a component's status by hand until `expiresAt`, replacing one set
 * before; the page shows the worse of it and the measured state.
 */
export async function setComponentStatus(db: Database, args: { componentId: string; status: Impact; expiresAt: Date; note?: string; actor: Actor; now: Date }) {
  const component = await componentOf(db, args.componentId);
  requireOrganisation(args.actor, component.organisationId);
  if (args.expiresAt.getTime() <= args.now.getTime()) throw new DomainError('VALIDATION', `expiresAt ${args.expiresAt.toISOString()} has passed; give a time after now (${args.now.toISOString()})`);
  if (args.expiresAt.getTime() - args.now.getTime() > MAX_SPAN_MS) throw new DomainError('VALIDATION', 'expiresAt is more than 30 days ahead; set a nearer expiry, or open an incident for a longer fault');
  const o = tables.componentStatusOverrides;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const replaced = await tx.update(o).set({ clearedAt: args.now }).where(and(eq(o.componentId, component.id), isNull(o.clearedAt), gt(o.expiresAt, args.now))).returning();
    const [created] = await tx.insert(o).values({ componentId: component.id, status: args.status, note: args.note?.trim() || null, setBy: actorName(args.actor), setAt: args.now, expiresAt: args.expiresAt }).returning();
    await recordAudit(tx, { actor: args.actor, action: 'component_status.set', entity: 'component', entityId: component.id, organisationId: component.organisationId, before: replaced[0] ?? null, after: created, at: args.now });
    return created!;
  });
}

/** Ends a status set by hand before its expiry. */
export async function clearComponentStatus(db: Database, args: { id: string; actor: Actor; now: Date }) {
  if (!isUuid(args.id)) throw new DomainError('VALIDATION', `"${args.id}" is not the id of a status set by hand (a UUID)`);
  const o = tables.componentStatusOverrides;
  const [override] = await db.select().from(o).where(eq(o.id, args.id));
  if (!override) throw new DomainError('NOT_FOUND', `no status set by hand "${args.id}"`);
  const component = await componentOf(db, override.componentId);
  requireOrganisation(args.actor, component.organisationId);
  if (override.clearedAt || override.expiresAt <= args.now) throw new DomainError('CONFLICT', `this status already ended at ${(override.clearedAt ?? override.expiresAt).toISOString()}`);
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [cleared] = await tx.update(o).set({ clearedAt: args.now }).where(eq(o.id, override.id)).returning();
    await recordAudit(tx, { actor: args.actor, action: 'component_status.clear', entity: 'component', entityId: component.id, organisationId: component.organisationId, before: override, after: cleared, at: args.now });
    return cleared!;
  });
}

/** The actor's components, each with the status set by hand that is in force now, if any: for the console's picker and list. */
export async function listComponentStatuses(db: Database, args: { actor: Actor; now: Date }) {
  const c = tables.components;
  const rows = await db
    .select({ id: c.id, name: c.name, pageId: tables.statusPages.id, organisationId: tables.statusPages.organisationId })
    .from(c)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, c.groupId))
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.componentGroups.pageId))
    .where(isNull(c.retiredAt))
    .orderBy(tables.statusPages.position, tables.componentGroups.position, c.position);
  const o = tables.componentStatusOverrides;
  const live = await db.select().from(o).where(and(isNull(o.clearedAt), gt(o.expiresAt, args.now))).orderBy(desc(o.setAt));
  return rows
    .filter((row) => mayActOn(args.actor, row.organisationId))
    .map((row) => {
      const override = live.find((x) => x.componentId === row.id && x.setAt <= args.now);
      return { id: row.id, name: row.name as LocalizedText, pageId: row.pageId, manual: override ? { id: override.id, status: override.status, note: override.note, setBy: override.setBy, setAt: override.setAt.toISOString(), expiresAt: override.expiresAt.toISOString() } : null };
    });
}
