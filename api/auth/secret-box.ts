import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eq, isNotNull } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

const PREFIX = 'enc:v1:';

/** A 32-byte key from 64 hex characters or base64; undefined when it is neither. */
export function parseSecretKey(text: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  return key?.length === 32 ? key : undefined;
}

/** `enc:v1:<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM with a fresh 96-bit IV; the column name is bound in as associated data. */
export function sealSecret(plain: string, key: Buffer, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(purpose));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')}`;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

/** The plain secret: opened when sealed (throws with a reason on a wrong key), as stored when written before encryption was on. */
export function openSecret(stored: string, key: Buffer | undefined, purpose: string): string {
  if (!isSealed(stored)) return stored;
  if (!key) throw new Error('a TOTP secret is encrypted but STATUSVAKT_SECRET_KEY is not set');
  const [iv, tag, data] = stored.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv!).setAAD(Buffer.from(purpose)).setAuthTag(tag!);
    return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new Error('a TOTP secret does not open with STATUSVAKT_SECRET_KEY: it was encrypted with another key', { cause: error });
  }
}

export const TOTP_PURPOSE = 'users.totp_secret';

/**
 * At startup: refuses to run when secrets are encrypted and no key (or the
 * wrong key) is set, with what to do; with a key, encrypts any secret still
 * stored in plain text. Returns how many it encrypted.
 */
export async function prepareSecrets(db: Database, key: Buffer | undefined): Promise<{ encrypted: number }> {
  const users = await db.select({ id: tables.users.id, secret: tables.users.totpSecret }).from(tables.users).where(isNotNull(tables.users.totpSecret));
  const sealed = users.filter((u) => u.secret && isSealed(u.secret));
  if (sealed.length > 0 && !key) {
    throw new Error(`${sealed.length} TOTP secret(s) in the database are encrypted, but STATUSVAKT_SECRET_KEY is not set: set it to the key they were encrypted with (64 hex characters)`);
  }
  if (sealed[0]) openSecret(sealed[0].secret!, key, TOTP_PURPOSE); // a wrong key fails here, at startup, not at someone's login
  if (!key) return { encrypted: 0 };
  let encrypted = 0;
  for (const user of users.filter((u) => u.secret && !isSealed(u.secret))) {
    await db.update(tables.users).set({ totpSecret: sealSecret(user.secret!, key, TOTP_PURPOSE) }).where(eq(tables.users.id, user.id));
    encrypted++;
  }
  return { encrypted };
}
