import { and, asc, eq, isNull } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';
import { createUser, type Role } from './accounts.ts';
import { recordAccountEvent, type AuditActor } from './account-events.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

/** An account as administrators see it: never its password hash or second-factor secret. */
export type UserSummary = { id: string; email: string; name: string; role: Role; organisationIds: string[] | null; secondFactor: boolean; disabledAt: Date | null; createdAt: Date };

type UserRow = typeof tables.users.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const summaryOf = (u: UserRow): UserSummary => ({ id: u.id, email: u.email, name: u.name, role: u.role, organisationIds: u.organisationIds ?? null, secondFactor: u.totpSecret !== null, disabledAt: u.disabledAt, createdAt: u.createdAt });

/**
 * Whether an administrator may manage this account: one scoped to
 * organisations manages only accounts inside them; an account with every
 * organisation only an administrator who has every organisation.
 */
export function mayManage(actor: AuditActor, organisationIds: string[] | null): boolean {
  if (actor === 'system' || actor === 'command line' || actor.organisationIds === null) return true;
  const own = actor.organisationIds;
  return organisationIds !== null && organisationIds.every((id) => own.includes(id));
}

/**
 * Creates an account whose organisations exist (unknown ones are refused by
 * name, with the ones there are); `'all'` must be asked for explicitly, so
 * leaving the organisation out never grants everything by accident.
 */
export async function addUser(db: Database, args: { email: string; name: string; role: Role; password: string; organisations: string[] | 'all'; actor: AuditActor; now: Date }): Promise<UserSummary> {
  const organisationIds = args.organisations === 'all' ? null : [...new Set(args.organisations)];
  if (organisationIds !== null) {
    if (organisationIds.length === 0) throw new DomainError('VALIDATION', 'name at least one organisation, or ask for all organisations explicitly');
    const known = await db.select({ id: tables.organisations.id, name: tables.organisations.name }).from(tables.organisations).where(isNull(tables.organisations.retiredAt)).orderBy(asc(tables.organisations.id));
    const unknown = organisationIds.filter((id) => !known.some((o) => o.id === id));
    if (unknown.length > 0) {
      const there = known.length === 0 ? 'there are none yet: start Statusvakt once with the config, which creates them' : `there are: ${known.map((o) => `"${o.id}" (${o.name})`).join(', ')}`;
      throw new DomainError('VALIDATION', `no organisation ${unknown.map((id) => `"${id}"`).join(', ')}; ${there}`, { kind: 'organisation', ids: unknown });
    }
  }
  if (!mayManage(args.actor, organisationIds)) throw new DomainError('FORBIDDEN', 'you may only create accounts within your own organisations');
  return db.transaction(async (tx) => {
    const created = await createUser(tx as unknown as Database, { email: args.email, name: args.name, role: args.role, password: args.password, organisationIds });
    const [row] = await tx.select().from(tables.users).where(eq(tables.users.id, created.id));
    await recordAccountEvent(tx as unknown as Database, { actor: args.actor, action: 'user.add', user: row!, at: args.now, after: { role: args.role, organisationIds } });
    return summaryOf(row!);
  });
}

/** Every account the actor may manage, by e-mail. */
export async function listUsers(db: Database, args: { actor: AuditActor }): Promise<UserSummary[]> {
  const rows = await db.select().from(tables.users).orderBy(asc(tables.users.email));
  return rows.filter((u) => mayManage(args.actor, u.organisationIds ?? null)).map(summaryOf);
}

/** The account with this e-mail or id, if the actor may manage it; otherwise NOT_FOUND (an account outside one's organisations is not confirmed to exist). */
async function accountOf(db: Database, actor: AuditActor, key: { email: string } | { id: string }): Promise<UserRow> {
  const label = 'email' in key ? key.email : key.id;
  // an id that is no UUID names no account (and must not reach the uuid column as a database error)
  const where = 'email' in key ? eq(tables.users.email, key.email.trim().toLowerCase()) : UUID.test(key.id) ? eq(tables.users.id, key.id) : undefined;
  const [user] = where ? await db.select().from(tables.users).where(where) : [];
  if (!user || !mayManage(actor, user.organisationIds ?? null)) throw new DomainError('NOT_FOUND', `no user ${label}; list them with \`statusvakt user list\` or GET /api/v1/users`, { kind: 'user', id: label });
  return user;
}

export type AccountKey = { email: string } | { id: string };
type Change = { actor: AuditActor; key: AccountKey; now: Date };

/** Ends every open session of an account, so a changed account must log in again. */
async function endSessionsOf(db: Database, userId: string, now: Date): Promise<void> {
  await db.update(tables.sessions).set({ revokedAt: now }).where(and(eq(tables.sessions.userId, userId), isNull(tables.sessions.revokedAt)));
}

/** Disables an account: it cannot log in, its sessions end, and its API tokens are refused while it stays disabled. */
export async function disableUser(db: Database, args: Change): Promise<UserSummary> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const user = await accountOf(t, args.actor, args.key);
    if (args.actor !== 'system' && args.actor !== 'command line' && args.actor.userId === user.id) throw new DomainError('VALIDATION', 'you cannot disable your own account');
    const [row] = await t.update(tables.users).set({ disabledAt: user.disabledAt ?? args.now }).where(eq(tables.users.id, user.id)).returning();
    await endSessionsOf(t, user.id, args.now);
    await recordAccountEvent(t, { actor: args.actor, action: 'user.disable', user, at: args.now, before: { disabledAt: user.disabledAt }, after: { disabledAt: row!.disabledAt } });
    return summaryOf(row!);
  });
}

export async function enableUser(db: Database, args: Change): Promise<UserSummary> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const user = await accountOf(t, args.actor, args.key);
    const [row] = await t.update(tables.users).set({ disabledAt: null }).where(eq(tables.users.id, user.id)).returning();
    await recordAccountEvent(t, { actor: args.actor, action: 'user.enable', user, at: args.now, before: { disabledAt: user.disabledAt }, after: { disabledAt: null } });
    return summaryOf(row!);
  });
}

/** Deletes an account with its sessions and API tokens; the audit log keeps its e-mail. */
export async function removeUser(db: Database, args: Change): Promise<UserSummary> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const user = await accountOf(t, args.actor, args.key);
    if (args.actor !== 'system' && args.actor !== 'command line' && args.actor.userId === user.id) throw new DomainError('VALIDATION', 'you cannot remove your own account');
    await t.delete(tables.sessions).where(eq(tables.sessions.userId, user.id));
    await t.delete(tables.apiTokens).where(eq(tables.apiTokens.userId, user.id));
    await t.delete(tables.users).where(eq(tables.users.id, user.id));
    await recordAccountEvent(t, { actor: args.actor, action: 'user.remove', user, at: args.now, before: summaryOf(user) });
    return summaryOf(user);
  });
}

/** Sets a new password and ends the account's sessions. */
export async function resetPassword(db: Database, args: Change & { password: string }): Promise<UserSummary> {
  const problem = passwordProblem(args.password);
  if (problem) throw new DomainError('VALIDATION', problem);
  const passwordHash = await hashPassword(args.password);
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const user = await accountOf(t, args.actor, args.key);
    const [row] = await t.update(tables.users).set({ passwordHash }).where(eq(tables.users.id, user.id)).returning();
    await endSessionsOf(t, user.id, args.now);
    await recordAccountEvent(t, { actor: args.actor, action: 'user.reset-password', user, at: args.now });
    return summaryOf(row!);
  });
}

/** Turns the second factor off (a lost phone) and ends the account's sessions; `user totp` turns it on again. */
export async function resetTotp(db: Database, args: Change): Promise<UserSummary> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const user = await accountOf(t, args.actor, args.key);
    const [row] = await t.update(tables.users).set({ totpSecret: null, totpLastStep: null }).where(eq(tables.users.id, user.id)).returning();
    await endSessionsOf(t, user.id, args.now);
    await recordAccountEvent(t, { actor: args.actor, action: 'user.reset-totp', user, at: args.now, before: { secondFactor: user.totpSecret !== null }, after: { secondFactor: false } });
    return summaryOf(row!);
  });
}

