import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';

const PREFIX = 'svp';

export type IssuedProbeToken = { id: string; regionId: string; label: string | null; token: string };
export type ProbeTokenInfo = { id: string; regionId: string; label: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Creates a token for a region; the returned `token` is the only time the secret is seen. */
export async function createProbeToken(db: Database, args: { regionId: string; label?: string | undefined; now: Date }): Promise<IssuedProbeToken> {
  const [region] = await db.select().from(tables.regions).where(and(eq(tables.regions.id, args.regionId), isNull(tables.regions.retiredAt)));
  if (!region) {
    const known = (await db.select({ id: tables.regions.id }).from(tables.regions).where(isNull(tables.regions.retiredAt))).map((r) => r.id);
    throw new DomainError('NOT_FOUND', `unknown region "${args.regionId}"; regions come from the config: ${known.join(', ') || '(none yet: start Statusvakt once to load the config)'}`);
  }
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.insert(tables.probeTokens).values({ id, regionId: args.regionId, label: args.label ?? null, secretSha256: sha256(secret), createdAt: args.now });
  return { id, regionId: args.regionId, label: args.label ?? null, token: `${PREFIX}_${id}_${secret}` };
}

export async function listProbeTokens(db: Database): Promise<ProbeTokenInfo[]> {
  const rows = await db.select().from(tables.probeTokens).orderBy(tables.probeTokens.createdAt);
  return rows.map(({ secretSha256: _, ...info }) => info);
}

export async function revokeProbeToken(db: Database, args: { id: string; now: Date }): Promise<void> {
  const revoked = await db
    .update(tables.probeTokens)
    .set({ revokedAt: args.now })
    .where(and(eq(tables.probeTokens.id, args.id), isNull(tables.probeTokens.revokedAt)))
    .returning({ id: tables.probeTokens.id });
  if (revoked.length === 0) throw new DomainError('NOT_FOUND', `no active probe token "${args.id}"; \`statusvakt probe-token list\` shows them`);
}

/** The region a bearer token may write for; throws UNAUTHORIZED with the reason otherwise. */
export async function authenticateProbe(db: Database, args: { authorization: string | undefined; now: Date }): Promise<{ tokenId: string; regionId: string }> {
  const match = /^Bearer (svp)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(args.authorization ?? '');
  if (!match) {
    throw new DomainError('UNAUTHORIZED', 'send the probe token as "Authorization: Bearer svp_…" (create one with `statusvakt probe-token create --region NAME`)');
  }
  const [, , id, secret] = match as unknown as [string, string, string, string];
  const [row] = await db.select().from(tables.probeTokens).where(eq(tables.probeTokens.id, id));
  const expected = Buffer.from(row?.secretSha256 ?? sha256('no such token'), 'hex');
  const valid = timingSafeEqual(expected, Buffer.from(sha256(secret), 'hex')) && row !== undefined;
  if (!valid || !row) throw new DomainError('UNAUTHORIZED', 'unknown probe token');
  if (row.revokedAt) throw new DomainError('UNAUTHORIZED', `probe token ${id} was revoked at ${row.revokedAt.toISOString()}`);
  // last use is informational; a minute's precision is plenty and saves a write per request
  if (!row.lastUsedAt || args.now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(tables.probeTokens).set({ lastUsedAt: args.now }).where(eq(tables.probeTokens.id, id));
  }
  return { tokenId: id, regionId: row.regionId };
}
