import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { addUser, createApiToken, disableUser, DomainError, enableTotp, enableUser, listUsers, parseSecretKey, removeUser, resetPassword, resetTotp, revokeApiToken, type Role, type UserSummary } from '../api/index.ts';
import { DataDirLockedError, openDatabase, tables } from '../db/index.ts';
import type { Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { HELP } from './help-texts.ts';

const ROLES = ['admin', 'operator', 'viewer'] as const;
const SCOPES = ['read', 'incidents:write', 'windows:write', 'exclusions:write', 'config:write'] as const;
const USER_ACTIONS = Object.keys(HELP.user.subcommands);
const TOKEN_ACTIONS = Object.keys(HELP['api-token'].subcommands);

/** One line per account, for `user list`. */
function userLine(u: UserSummary): string {
  const organisations = u.organisationIds === null ? 'all organisations' : u.organisationIds.join(',');
  const state = u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : 'active';
  return `${u.email}  ${u.name}  ${u.role}  ${organisations}  second factor ${u.secondFactor ? 'on' : 'off'}  ${state}`;
}

/**
 * `statusvakt user add|list|disable|enable|remove|reset-password|reset-totp|totp` and
 * `statusvakt api-token create|revoke` (see help-texts.ts). Usage mistakes and
 * refusals (an unknown account or organisation) exit 1; a database that cannot be opened, 2.
 */
export async function userCommand(args: { env: Env; command: 'user' | 'api-token'; positionals: string[]; values: Record<string, string | boolean | undefined> }): Promise<number> {
  const values = Object.fromEntries(Object.entries(args.values).filter(([, v]) => typeof v === 'string')) as Record<string, string | undefined>;
  const allOrganisations = args.values['all-organisations'] === true;
  const fail = (message: string) => {
    process.stderr.write(`statusvakt ${args.command}: ${message}\n`);
    return EXIT.usage;
  };
  const [action, tokenId, ...extra] = args.positionals;
  const actions = args.command === 'user' ? USER_ACTIONS : TOKEN_ACTIONS;
  if (action === undefined || !actions.includes(action)) return fail(`${action === undefined ? 'say what to do' : `no subcommand "${action}"`}: one of ${actions.join(', ')} (statusvakt ${args.command} --help)`);
  if (extra.length > 0 || (tokenId !== undefined && action !== 'revoke')) return fail(`unexpected "${[tokenId, ...extra].filter(Boolean).join(' ')}" (statusvakt ${args.command} ${action} --help)`);
  const { email } = values;
  if (!email && action !== 'revoke' && action !== 'list') return fail('--email is required');
  if (action === 'revoke' && !tokenId) return fail('give the id of the token to revoke (the part after svt_)');
  let organisations: string[] | 'all' = 'all';
  let role: Role = 'viewer';
  if (action === 'add') {
    if (!values.role || !(ROLES as readonly string[]).includes(values.role)) return fail(`--role must be one of ${ROLES.join(', ')}`);
    role = values.role as Role;
    if (values.organisation !== undefined && allOrganisations) return fail('give either --organisation or --all-organisations, not both');
    if (values.organisation === undefined && !allOrganisations) return fail('say which organisations the account may act for: --organisation ID[,ID], or --all-organisations for every one, present and future');
    if (values.organisation !== undefined) organisations = values.organisation.split(',').map((id) => id.trim()).filter(Boolean);
  }
  const scopes = (values.scopes ?? '').split(',').filter(Boolean);
  if (action === 'create') {
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0) return fail(`--scopes must list some of ${SCOPES.join(', ')}`);
  }

  let database;
  try {
    database = await openDatabase({ databaseUrl: args.env.DATABASE_URL, dataDir: args.env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt ${args.command}: ${error.message}\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  const { db } = database;
  const now = new Date();
  const actor = 'command line' as const;
  const newPassword = () => ({ password: args.env.STATUSVAKT_USER_PASSWORD ?? randomBytes(18).toString('base64url'), generated: args.env.STATUSVAKT_USER_PASSWORD === undefined });
  try {
    switch (action) {
      case 'revoke':
        await revokeApiToken(db, { id: tokenId!, now });
        process.stdout.write(`revoked API token ${tokenId}\n`);
        break;
      case 'create': {
        const [user] = await db.select().from(tables.users).where(eq(tables.users.email, email!.toLowerCase()));
        if (!user) return fail(`no user ${email}`);
        const issued = await createApiToken(db, { userId: user.id, label: values.label ?? 'automation', scopes: scopes as (typeof SCOPES)[number][], now });
        process.stdout.write(`${issued.token}\n`);
        process.stderr.write(`API token ${issued.id} for ${user.email} with ${scopes.join(', ')}: it is not shown again\n`);
        break;
      }
      case 'totp': {
        const [user] = await db.select().from(tables.users).where(eq(tables.users.email, email!.toLowerCase()));
        if (!user) return fail(`no user ${email}`);
        const { uri } = await enableTotp(db, user.id, { secretKey: args.env.STATUSVAKT_SECRET_KEY ? parseSecretKey(args.env.STATUSVAKT_SECRET_KEY) : undefined });
        process.stdout.write(`second factor on for ${user.email}; add this to an authenticator app (shown once):\n${uri}\n`);
        break;
      }
      case 'add': {
        const { password, generated } = newPassword();
        const user = await addUser(db, { email: email!, name: values.name ?? email!, role, password, organisations, actor, now });
        process.stdout.write(`created ${user.role} ${user.email}\n`);
        if (generated) process.stdout.write(`password (shown once): ${password}\n`);
        break;
      }
      case 'list': {
        const users = await listUsers(db, { actor });
        if (users.length === 0) process.stdout.write('no users; create one with `statusvakt user add`\n');
        for (const u of users) process.stdout.write(`${userLine(u)}\n`);
        break;
      }
      case 'reset-password': {
        const { password, generated } = newPassword();
        const user = await resetPassword(db, { key: { email: email! }, password, actor, now });
        process.stdout.write(`new password for ${user.email}; its sessions have ended\n`);
        if (generated) process.stdout.write(`password (shown once): ${password}\n`);
        break;
      }
      default: {
        const verb = { disable: disableUser, enable: enableUser, remove: removeUser, 'reset-totp': resetTotp }[action as 'disable' | 'enable' | 'remove' | 'reset-totp'];
        const user = await verb(db, { key: { email: email! }, actor, now });
        const done = { disable: 'disabled; its sessions have ended and its API tokens are refused', enable: 'enabled', remove: 'removed, with its sessions and API tokens', 'reset-totp': 'second factor off; its sessions have ended (turn it on again with `statusvakt user totp`)' }[action as 'disable'];
        process.stdout.write(`${user.email}: ${done}\n`);
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DomainError) return fail(error.message);
    throw error;
  } finally {
    await database.close();
  }
}
