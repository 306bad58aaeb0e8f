import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { TOTP } from 'otpauth';
import { tables, type Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { openSecret, sealSecret, TOTP_PURPOSE } from './secret-box.ts';

export type Role = 'admin' | 'operator' | 'viewer';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export const API_SCOPES = ['read', 'incidents:write', 'windows:write', 'exclusions:write', 'config:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Who is acting: a user through a session, or an API token on behalf of a user. */
export type Actor = { userId: string; email: string; role: Role; organisationIds: string[] | null; via: 'session' | 'token'; tokenId?: string; scopes?: ApiScope[]; csrfToken?: string };

const SESSION_HOURS = 12;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function createUser(db: Database, args: { email: string; name: string; role: Role; password: string; organisationIds?: string[] | null }) {
  const problem = passwordProblem(args.password);
  if (problem) throw new DomainError('VALIDATION', problem);
  const email = args.email.trim().toLowerCase();
  const [existing] = await db.select({ id: tables.users.id }).from(tables.users).where(eq(tables.users.email, email));
  if (existing) throw new DomainError('CONFLICT', `a user ${email} exists already`);
  const [user] = await db
    .insert(tables.users)
    .values({ email, name: args.name, role: args.role, organisationIds: args.organisationIds ?? null, passwordHash: await hashPassword(args.password) })
    .returning({ id: tables.users.id, email: tables.users.email, role: tables.users.role });
  return user!;
}

const TOTP_PERIOD_SECONDS = 30;

/**
 * Checks e-mail, password and (when on) the TOTP code; the same answer for
 * every wrong part. A code is accepted once: the step it belongs to is
 * recorded, and that step or an earlier one is refused afterwards, even by a
 * login racing this one (the record is a conditional update).
 */
export async function authenticate(db: Database, args: { email: string; password: string; totp?: string | undefined; secretKey?: Buffer | undefined; now: Date }) {
  const [user] = await db.select().from(tables.users).where(and(eq(tables.users.email, args.email.trim().toLowerCase()), isNull(tables.users.disabledAt)));
  // hash even for an unknown user, so the answer takes as long either way
  const ok = await verifyPassword(args.password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!user || !ok) throw new DomainError('UNAUTHORIZED', 'wrong e-mail or password');
  if (user.totpSecret) {
    if (!args.totp) throw new DomainError('UNAUTHORIZED', 'this account has a second factor: give the 6-digit code as totp');
    const totp = new TOTP({ secret: openSecret(user.totpSecret, args.secretKey, TOTP_PURPOSE), digits: 6, period: TOTP_PERIOD_SECONDS });
    const delta = totp.validate({ token: args.totp, timestamp: args.now.getTime(), window: 1 });
    if (delta === null) throw new DomainError('UNAUTHORIZED', 'wrong or expired second-factor code');
    const step = Math.floor(args.now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
    const used = await db
      .update(tables.users)
      .set({ totpLastStep: step })
      .where(and(eq(tables.users.id, user.id), or(isNull(tables.users.totpLastStep), lt(tables.users.totpLastStep, step))))
      .returning({ id: tables.users.id });
    if (used.length === 0) throw new DomainError('UNAUTHORIZED', 'this second-factor code has been used already; wait for the next one');
  }
  return user;
}

/** Turns on the second factor; returns the secret and its otpauth:// URI for an authenticator app. Stored encrypted when a key is given. */
export async function enableTotp(db: Database, userId: string, options: { issuer?: string; secretKey?: Buffer | undefined } = {}) {
  const [user] = await db.select().from(tables.users).where(eq(tables.users.id, userId));
  if (!user) throw new DomainError('NOT_FOUND', 'no such user');
  const totp = new TOTP({ issuer: options.issuer ?? 'Statusvakt', label: user.email, digits: 6, period: TOTP_PERIOD_SECONDS });
  const stored = options.secretKey ? sealSecret(totp.secret.base32, options.secretKey, TOTP_PURPOSE) : totp.secret.base32;
  await db.update(tables.users).set({ totpSecret: stored, totpLastStep: null }).where(eq(tables.users.id, userId));
  return { secret: totp.secret.base32, uri: totp.toString() };
}

export async function createSession(db: Database, args: { userId: string; now: Date }) {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db.insert(tables.sessions).values({ idSha256: sha256(cookie), userId: args.userId, csrfToken, createdAt: args.now, expiresAt: new Date(args.now.getTime() + SESSION_HOURS * 3_600_000) });
  return { cookie, csrfToken, maxAgeSeconds: SESSION_HOURS * 3600 };
}

export async function resolveSession(db: Database, args: { cookie: string; now: Date }): Promise<Actor | undefined> {
  const [row] = await db
    .select({ s: tables.sessions, u: tables.users })
    .from(tables.sessions)
    .innerJoin(tables.users, eq(tables.users.id, tables.sessions.userId))
    .where(and(eq(tables.sessions.idSha256, sha256(args.cookie)), isNull(tables.sessions.revokedAt), gt(tables.sessions.expiresAt, args.now), isNull(tables.users.disabledAt)));
  if (!row) return undefined;
  return { userId: row.u.id, email: row.u.email, role: row.u.role, organisationIds: row.u.organisationIds ?? null, via: 'session', csrfToken: row.s.csrfToken };
}

export async function endSession(db: Database, args: { cookie: string; now: Date }): Promise<void> {
  await db.update(tables.sessions).set({ revokedAt: args.now }).where(eq(tables.sessions.idSha256, sha256(args.cookie)));
}

export async function createApiToken(db: Database, args: { userId: string; label: string; scopes: ApiScope[]; now: Date }) {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.insert(tables.apiTokens).values({ id, userId: args.userId, label: args.label, scopes: args.scopes, secretSha256: sha256(secret), createdAt: args.now });
  return { id, token: `svt_${id}_${secret}` };
}

export async function revokeApiToken(db: Database, args: { id: string; now: Date }): Promise<void> {
  const revoked = await db.update(tables.apiTokens).set({ revokedAt: args.now }).where(and(eq(tables.apiTokens.id, args.id), isNull(tables.apiTokens.revokedAt))).returning({ id: tables.apiTokens.id });
  if (revoked.length === 0) throw new DomainError('NOT_FOUND', `no active API token "${args.id}"`);
}

export async function resolveApiToken(db: Database, args: { bearer: string; now: Date }): Promise<Actor | undefined> {
  const match = /^svt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(args.bearer);
  if (!match) return undefined;
  const [row] = await db
    .select({ t: tables.apiTokens, u: tables.users })
    .from(tables.apiTokens)
    .innerJoin(tables.users, eq(tables.users.id, tables.apiTokens.userId))
    .where(and(eq(tables.apiTokens.id, match[1]!), isNull(tables.apiTokens.revokedAt), isNull(tables.users.disabledAt)));
  if (!row) return undefined;
  const expected = Buffer.from(row.t.secretSha256, 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sha256(match[2]!), 'hex'))) return undefined;
  return { userId: row.u.id, email: row.u.email, role: row.u.role, organisationIds: row.u.organisationIds ?? null, via: 'token', tokenId: row.t.id, scopes: row.t.scopes as ApiScope[] };
}
