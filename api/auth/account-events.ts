import { eq } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from './accounts.ts';

/** Who did something to an account: a user (session or token), the system, or an administrator at the command line. */
export type AuditActor = Actor | 'system' | 'command line';
/** …or, for a login, whoever typed this e-mail. */
type EventActor = AuditActor | { email: string };

type Account = { id: string; email: string; organisationIds: string[] | null };

const actorText = (actor: EventActor) => (typeof actor === 'string' ? actor : 'via' in actor && actor.via === 'token' ? `${actor.email} (token ${actor.tokenId})` : actor.email);

/**
 * Logins, failed logins, logouts and account changes in the audit log.
 * An account belongs to organisations rather than one, so the entry is
 * written once for each of them: an administrator scoped to an organisation
 * sees what happened to its accounts, and no more (the audit log's rule). An
 * account with every organisation, or an e-mail with no account, gets one
 * entry with no organisation, seen by administrators of every organisation.
 */
export async function recordAccountEvent(db: Database, args: { actor: EventActor; action: string; user: Account | null; email?: string; at: Date; before?: unknown; after?: unknown }): Promise<void> {
  const organisations = args.user?.organisationIds?.length ? args.user.organisationIds : [null];
  const entityId = args.user?.email ?? args.email ?? 'unknown';
  await db.insert(tables.auditLog).values(
    organisations.map((organisationId) => ({ at: args.at, actor: actorText(args.actor), action: args.action, entity: 'user', entityId, organisationId, before: args.before ?? null, after: args.after ?? null })),
  );
}

/** The account an e-mail names, if any (for the organisations of a failed login's entry). */
export async function accountByEmail(db: Database, email: string): Promise<Account | null> {
  const [user] = await db.select({ id: tables.users.id, email: tables.users.email, organisationIds: tables.users.organisationIds }).from(tables.users).where(eq(tables.users.email, email.trim().toLowerCase()));
  return user ? { ...user, organisationIds: user.organisationIds ?? null } : null;
}
