import { readFile } from 'node:fs/promises';
import { buildApp, loadAssignment } from '../api/index.ts';
import { formatConfigIssues, loadConfigFile } from '../config/index.ts';
import { DataDirLockedError, openDatabase, syncConfig } from '../db/index.ts';
import { runProbe } from '../probe/index.ts';
import { ingestResults } from '../api/index.ts';
import { loadSiteHandler } from '../status-site/index.ts';
import type { Env } from './env.ts';
import { createLogger } from './logger.ts';
import { listen } from './http-server.ts';
import { startBackgroundWork } from './background-work.ts';

/** `start` and `serve`: runs until SIGINT/SIGTERM, then shuts down cleanly. Returns the exit code. */
export async function runServer(args: { env: Env; configFile: string; withProbe: boolean }): Promise<number> {
  const { env } = args;
  const logger = createLogger(env.LOG_LEVEL);

  const loaded = await loadConfigFile(args.configFile);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(args.configFile, loaded.issues)}\nstatusvakt: fix the configuration above and start again\n`);
    return 1;
  }
  const { config } = loaded;

  let database;
  try {
    database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const { db } = database;
  const now = () => new Date();
  const summary = await syncConfig(db, config, now());
  logger.info({ database: database.kind, config: args.configFile, ...summary }, 'configuration synchronised');

  const app = buildApp({ database, now, logger, secureCookies: env.STATUSVAKT_SECURE_COOKIES === 'true', metricsAuth: { bearer: env.METRICS_BEARER_TOKEN, basic: env.METRICS_BASIC_AUTH } });
  const site = await loadSiteHandler();
  let server;
  try {
    server = await listen({ app, site, host: env.HOST, port: env.PORT, logger });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    await database.close();
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges this user lacks' : 'is not an address of this machine';
    process.stderr.write(`statusvakt: cannot listen on ${env.HOST}:${env.PORT}: the ${code === 'EADDRNOTAVAIL' ? 'host' : 'port'} ${why}; choose another with --port/PORT or --host/HOST\n`);
    return 1;
  }

  const region = config.regions[0]?.id ?? 'local';
  const trustedCa = env.STATUSVAKT_PROBE_CA_FILE ? [await readFile(env.STATUSVAKT_PROBE_CA_FILE, 'utf8')] : undefined;
  const probe = args.withProbe
    ? runProbe({
        regionId: region,
        checks: (await loadAssignment(db, region)).checks,
        trustedCa,
        // the in-process probe is one region like any other: its results take the same ingest path
        sink: async (result) => {
          const outcome = await ingestResults(db, { regionId: region, results: [result], now: now() });
          if (outcome.rejected.length > 0) logger.warn({ rejected: outcome.rejected }, 'result rejected');
        },
      })
    : undefined;

  const background = startBackgroundWork({ db, now, logger });

  logger.info({ url: server.url, probeRegion: probe ? region : null }, `Statusvakt is running at ${server.url}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing checks in flight');
      try {
        await probe?.stop(); // in-flight checks finish and are stored
        await background.flush();
        await background.stop();
        await server.close();
        await database.close();
        logger.info('stopped');
        resolve(0);
      } catch (err) {
        logger.error({ err }, 'unclean shutdown');
        resolve(1);
      }
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
