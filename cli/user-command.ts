import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createApiToken, createUser, DomainError, enableTotp, revokeApiToken, type Role } from '../api/index.ts';
import { DataDirLockedError, openDatabase, tables } from '../db/index.ts';
import type { Env } from './env.ts';

const ROLES = ['admin', 'operator', 'viewer'] as const;
const SCOPES = ['read', 'incidents:write', 'windows:write', 'exclusions:write'] as const;

/**
 * `statusvakt user add --email E --name N --role admin|operator|viewer [--organisation ID]`
 * (password from STATUSVAKT_USER_PASSWORD, else a generated one, printed once), and
 * `statusvakt api-token create --email E --label L --scopes read,incidents:write` (printed once).
 */
export async function userCommand(args: { env: Env; command: 'user' | 'api-token'; positionals: string[]; values: Record<string, string | undefined> }): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`statusvakt ${args.command}: ${message}\n`);
    return 1;
  };
  const [action, tokenId] = args.positionals;
  if (args.command === 'user' && action !== 'add' && action !== 'totp') return fail('usage: statusvakt user add --email E --name N --role admin|operator|viewer [--organisation ID] | user totp --email E');
  if (args.command === 'api-token' && action !== 'create' && action !== 'revoke') return fail('usage: statusvakt api-token create --email E --label L --scopes read,incidents:write | api-token revoke ID');
  const { email } = args.values;
  if (!email && action !== 'revoke') return fail('--email is required');
  if (action === 'revoke' && !tokenId) return fail('give the id of the token to revoke (the part after svt_)');
  let database;
  try {
    database = await openDatabase({ databaseUrl: args.env.DATABASE_URL, dataDir: args.env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) return fail(error.message);
    throw error;
  }
  try {
    if (action === 'revoke') {
      await revokeApiToken(database.db, { id: tokenId!, now: new Date() });
      process.stdout.write(`revoked API token ${tokenId}\n`);
      return 0;
    }
    if (action === 'totp') {
      const [user] = await database.db.select().from(tables.users).where(eq(tables.users.email, email!.toLowerCase()));
      if (!user) return fail(`no user ${email}`);
      const { uri } = await enableTotp(database.db, user.id);
      process.stdout.write(`second factor on for ${user.email}; add this to an authenticator app (shown once):\n${uri}\n`);
      return 0;
    }
    if (args.command === 'user') {
      const role = args.values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) return fail(`--role must be one of ${ROLES.join(', ')}`);
      const generated = args.env.STATUSVAKT_USER_PASSWORD === undefined;
      const password = args.env.STATUSVAKT_USER_PASSWORD ?? randomBytes(18).toString('base64url');
      const user = await createUser(database.db, { email: email!, name: args.values.name ?? email!, role, password, organisationIds: args.values.organisation ? args.values.organisation.split(',') : null });
      process.stdout.write(`created ${user.role} ${user.email}\n`);
      if (generated) process.stdout.write(`password (shown once): ${password}\n`);
    } else {
      const scopes = (args.values.scopes ?? '').split(',').filter(Boolean);
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (scopes.length === 0 || unknown.length > 0) return fail(`--scopes must list some of ${SCOPES.join(', ')}`);
      const [user] = await database.db.select().from(tables.users).where(eq(tables.users.email, email!.toLowerCase()));
      if (!user) return fail(`no user ${email}`);
      const issued = await createApiToken(database.db, { userId: user.id, label: args.values.label ?? 'automation', scopes: scopes as (typeof SCOPES)[number][], now: new Date() });
      process.stdout.write(`${issued.token}\n`);
      process.stderr.write(`API token ${issued.id} for ${user.email} with ${scopes.join(', ')}: it is not shown again\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return fail(error.message);
    throw error;
  } finally {
    await database.close();
  }
}
