import { createProbeToken, DomainError, listProbeTokens, revokeProbeToken } from '../api/index.ts';
import { DataDirLockedError, openDatabase } from '../db/index.ts';
import type { Env } from './env.ts';
import { EXIT } from './exit-codes.ts';

/** `statusvakt probe-token create --region NAME [--label TEXT] | list | revoke ID`. */
export async function probeTokenCommand(args: { env: Env; positionals: string[]; region: string | undefined; label: string | undefined }): Promise<number> {
  const [action, id] = args.positionals;
  const usage = 'usage: statusvakt probe-token create --region NAME [--label TEXT] | list | revoke ID';
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    process.stderr.write(`statusvakt probe-token: ${usage}\n`);
    return 1;
  }
  let database;
  try {
    database = await openDatabase({ databaseUrl: args.env.DATABASE_URL, dataDir: args.env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt probe-token: ${error.message}\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  try {
    const now = new Date();
    if (action === 'create') {
      if (!args.region) throw new DomainError('VALIDATION', `--region NAME is required; ${usage}`);
      const issued = await createProbeToken(database.db, { regionId: args.region, label: args.label, now });
      process.stdout.write(`${issued.token}\n`);
      process.stderr.write(`token ${issued.id} for region ${issued.regionId}: give it to the probe as STATUSVAKT_PROBE_TOKEN; it is not shown again\n`);
    } else if (action === 'list') {
      const tokens = await listProbeTokens(database.db);
      if (tokens.length === 0) process.stdout.write('no probe tokens\n');
      for (const t of tokens) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : `active, last used ${t.lastUsedAt?.toISOString() ?? 'never'}`;
        process.stdout.write(`${t.id}  ${t.regionId}  ${t.label ?? '-'}  created ${t.createdAt.toISOString()}  ${state}\n`);
      }
    } else {
      if (!id) throw new DomainError('VALIDATION', `give the token id to revoke; ${usage}`);
      await revokeProbeToken(database.db, { id, now });
      process.stdout.write(`revoked ${id}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      process.stderr.write(`statusvakt probe-token: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
