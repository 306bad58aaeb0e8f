import { pino } from 'pino';
import { alertRoutesOf, DEFAULT_BACKOFF, sendTestAlert } from '../alerts/index.ts';
import { loadConfigFile, formatConfigIssues } from '../config/index.ts';
import { DataDirLockedError, openDatabase } from '../db/index.ts';
import { alertSecretReader, type Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { loadLinkSecret, mailChannelOf, publicUrlOf } from './notifications.ts';

export const ALERTS_USAGE = 'usage: statusvakt alerts test ROUTE [--config FILE]';

/**
 * `statusvakt alerts test ROUTE`: sends a test alert through each channel of
 * the route, through the outbox like any alert, and prints one line per
 * channel. Exits 0 when every channel took it.
 */
export async function alertsCommand(args: { env: Env; configFile: string; positionals: string[] }): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`statusvakt alerts: ${message}\n`);
    return 1;
  };
  const [action, routeId, ...extra] = args.positionals;
  if (action !== 'test' || !routeId || extra.length > 0) return fail(ALERTS_USAGE);
  const loaded = await loadConfigFile(args.configFile);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(args.configFile, loaded.issues)}\n`);
    return fail('fix the configuration above and try again');
  }
  const routes = alertRoutesOf(loaded.config);
  const entry = routes.find((r) => r.route.id === routeId);
  if (!entry) return fail(`no alert route "${routeId}" in ${args.configFile}; routes: ${routes.map((r) => r.route.id).join(', ') || '(none: add alertRoutes under an organisation)'}`);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let database;
  try {
    database = await openDatabase({ databaseUrl: args.env.DATABASE_URL, dataDir: args.env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt alerts: ${error.message}\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  const channel = mailChannelOf(args.env, logger);
  try {
    const publicUrl = publicUrlOf(args.env);
    const outcomes = await sendTestAlert(
      {
        db: database.db,
        channel,
        now: () => new Date(),
        random: Math.random,
        links: { publicUrl, secret: loadLinkSecret(args.env, logger), messageIdDomain: new URL(publicUrl).hostname },
        backoff: DEFAULT_BACKOFF,
        logger,
        batchSize: 100,
        concurrency: 4,
        leaseMs: 5 * 60_000,
        webhooksAllowInternal: args.env.STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL === 'true',
        readSecret: alertSecretReader(),
      },
      entry,
    );
    process.stdout.write(`route ${entry.route.id} (organisation ${entry.organisationId}): ${outcomes.filter((o) => o.ok).length} of ${outcomes.length} channels took the test alert\n`);
    for (const o of outcomes) process.stdout.write(`  ${o.ok ? 'ok    ' : 'FAILED'} ${o.channel} ${o.target}${o.ok ? '' : `: ${o.detail}`}\n`);
    if (outcomes.length === 0) process.stdout.write('  no recipients: the route\'s e-mail channels name no address or active account\n');
    return outcomes.length > 0 && outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.runtime;
  } finally {
    await channel?.close();
    await database.close();
  }
}
