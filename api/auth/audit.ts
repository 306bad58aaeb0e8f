import { tables, type Database } from '../../db/index.ts';
import type { Actor } from './accounts.ts';

/** Appends to the audit log; call it in the same transaction as the change. */
export async function recordAudit(db: Database, args: { actor: Actor | 'system'; action: string; entity: string; entityId: string; organisationId: string | null; before: unknown; after: unknown; at: Date }): Promise<void> {
  const actor = args.actor === 'system' ? 'system' : args.actor.via === 'token' ? `${args.actor.email} (token ${args.actor.tokenId})` : args.actor.email;
  await db.insert(tables.auditLog).values({ at: args.at, actor, action: args.action, entity: args.entity, entityId: args.entityId, organisationId: args.organisationId, before: args.before ?? null, after: args.after ?? null });
}
