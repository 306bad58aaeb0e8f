import { setFlagsFromString } from 'node:v8';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jobsOf, startScheduledJobs } from '../alerts/index.ts';
import { buildApp, recordAudit, loadAssignment, loadChangeToken, parseSecretKey, parseTrustedProxies, prepareSecrets } from '../api/index.ts';
import { formatConfigIssues, loadConfigFile } from '../config/index.ts';
import { DataDirLockedError, openDatabase, syncConfig } from '../db/index.ts';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isSiteBuilt, loadSiteHandler, siteBrandingOf } from '../status-site/index.ts';
import { alertSecretReader, type Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './logger.ts';
import { listen } from './http-server.ts';
import { startProbeThread } from './probe-thread.ts';
import { startBackgroundWork } from './background-work.ts';
import { loadLinkSecret, startNotifications } from './notifications.ts';
import { shutDown } from './shut-down.ts';
import { startLocalResults } from './local-results.ts';
import { createConfigReloader } from './reload-config.ts';
import { watchConfigFile } from './watch-config.ts';

/** `start` and `serve`: runs until SIGINT/SIGTERM, then shuts down cleanly. Returns the exit code. */
export async function runServer(args: { env: Env; configFile: string; withProbe: boolean }): Promise<number> {
  const { env } = args;
  const logger = createLogger(env.LOG_LEVEL);
  // signals are caught from the start: one that arrives while the server is still starting (it already answers /readyz) is kept and acted on once everything is up, rather than killing the process half-started
  let pendingSignal: string | undefined;
  let onSignal = (signal: string) => void (pendingSignal = signal);
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  // SIGHUP (reload the config) would end the process by default: caught from the start too, and acted on once the server runs
  let hangupPending = false;
  let onHangup: () => void = () => {
    hangupPending = true;
  };
  process.on('SIGHUP', () => onHangup());
  // a background fault (a dropped database connection in a worker, say) is logged and the server keeps serving its snapshots
  process.on('unhandledRejection', (err) => logger.error({ err }, 'background work failed; the server keeps running'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught error');
    process.exit(EXIT.runtime);
  });

  const loaded = await loadConfigFile(args.configFile);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(args.configFile, loaded.issues)}\nstatusvakt: fix the configuration above and start again\n`);
    return EXIT.usage;
  }
  const { config } = loaded;

  let database;
  try {
    database = await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.STATUSVAKT_DATA_DIR,
      createApart: true, // what initdb takes is not kept for the life of the server
      // the message and code say it all (node-postgres hangs the whole client object on the error)
      onConnectionError: (err) => logger.warn({ error: err.message, code: (err as { code?: string }).code }, 'a database connection was dropped; the pool opens a new one when needed'),
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt: ${error.message}\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  const { db } = database;
  const now = () => new Date();
  const summary = await syncConfig(db, config, now());
  logger.info({ database: database.kind, config: args.configFile, ...summary }, 'configuration synchronised');

  const linkSecret = loadLinkSecret(env, logger);
  const secretKey = env.STATUSVAKT_SECRET_KEY ? parseSecretKey(env.STATUSVAKT_SECRET_KEY) : undefined;
  try {
    const { encrypted } = await prepareSecrets(db, secretKey);
    if (encrypted > 0) logger.info({ encrypted }, 'TOTP secrets encrypted with STATUSVAKT_SECRET_KEY');
  } catch (error) {
    await database.close();
    process.stderr.write(`statusvakt: ${(error as Error).message}\n`);
    return EXIT.runtime;
  }
  const trusted = parseTrustedProxies(env.STATUSVAKT_TRUSTED_PROXIES);
  if (!trusted.ok) throw new Error(trusted.message); // the environment was checked already

  // what this process holds of the config besides the database: a reload refills these maps and restarts the in-process probe when its checks change
  const embedOrigins = new Map<string, readonly string[]>();
  const pageOfHost = new Map<string, string>();
  const fillHostMaps = (from: typeof config) => {
    embedOrigins.clear();
    pageOfHost.clear();
    for (const page of from.pages) {
      embedOrigins.set(page.id, page.embedOrigins);
      for (const host of page.hostnames) pageOfHost.set(host, page.id);
    }
  };
  fillHostMaps(config);
  let applyToProbe: () => Promise<void> = async () => {};
  const reloader = createConfigReloader({
    db,
    configFile: args.configFile,
    initial: config,
    now,
    logger,
    apply: async (next) => {
      fillHostMaps(next);
      await applyToProbe();
    },
  });

  const publicUrl = env.STATUSVAKT_PUBLIC_URL ?? `http://localhost:${env.PORT}/`;
  const app = buildApp({ database, now, logger, secretKey, publicUrl, linkSecret, webhooksAllowInternal: env.STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL === 'true', mailConfigured: Boolean(env.SMTP_URL), secureCookies: env.STATUSVAKT_SECURE_COOKIES === 'true', metricsAuth: { bearer: env.METRICS_BEARER_TOKEN, basic: env.METRICS_BASIC_AUTH }, reloadConfig: reloader.reload });
  if (!isSiteBuilt()) {
    // a fresh clone started without `npm start` (which builds first): build now rather than fail
    process.stderr.write('statusvakt: the status site is not built yet; building it now (as "npm run build" does)…\n');
    try {
      execFileSync(process.execPath, [fileURLToPath(new URL('../bin/build-site.js', import.meta.url))], { stdio: 'inherit' });
    } catch {
      await database.close();
      process.stderr.write('statusvakt: building the status site failed (see above); run "npm run build", then start again\n');
      return EXIT.runtime;
    }
  }
  const site = await loadSiteHandler();
  let server;
  try {
    server = await listen({ app, site, host: env.HOST, port: env.PORT, logger, trustedProxies: trusted.list, changeToken: () => loadChangeToken(db), embedOrigins, pageOfHost, branding: siteBrandingOf(config, loaded.siteFiles) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    await database.close();
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges this user lacks' : 'is not an address of this machine';
    process.stderr.write(`statusvakt: cannot listen on ${env.HOST}:${env.PORT}: the ${code === 'EADDRNOTAVAIL' ? 'host' : 'port'} ${why}; choose another with --port/PORT or --host/HOST\n`);
    return EXIT.runtime;
  }

  const region = config.regions[0]?.id ?? 'local';
  const trustedCa = env.STATUSVAKT_PROBE_CA_FILE ? [await readFile(env.STATUSVAKT_PROBE_CA_FILE, 'utf8')] : undefined;
  const localResults = args.withProbe
    ? startLocalResults({ db, regionId: region, dir: join(env.STATUSVAKT_DATA_DIR, 'probe-buffer', region), maxBuffered: env.STATUSVAKT_PROBE_MAX_BUFFERED, logger, now })
    : undefined;
  const startProbe = async () => {
    const assignment = await loadAssignment(db, region);
    const thread = startProbeThread({
      regionId: region,
      readSecret: alertSecretReader(),
      checks: assignment.checks,
      trustedCa,
      logger,
      // the in-process probe is one region like any other: its results take the same buffer and ingest path as a remote probe's
      sink: async (result) => localResults!.accept(result),
    });
    return { thread, revision: assignment.revision };
  };
  let probe = localResults ? await startProbe() : undefined;
  // a remote probe sees a new assignment by its ETag; the in-process one is restarted with it, its checks in flight finishing first
  applyToProbe = async () => {
    if (!probe || (await loadAssignment(db, region)).revision === probe.revision) return;
    await probe.thread.stop();
    probe = await startProbe();
  };

  const background = startBackgroundWork({ db, now, logger, embedded: database.kind === 'pglite', groupWithinMs: () => (config.incidents?.groupWithinMinutes ?? 2) * 60_000 });
  const notifications = startNotifications({ env, db, secret: linkSecret, logger, config });
  const jobs = startScheduledJobs({ db, jobs: jobsOf(config, { db, now }), now, logger, onRan: () => notifications.wake() });

  logger.info({ url: server.url, probeRegion: probe ? region : null }, `Statusvakt is running at ${server.url}`);
  // Started: from here the young generation may grow again (bin/statusvakt.js held it at 1 MB while the
  // modules loaded). Under a steady load of page views a 1 MB young generation collects so often that a
  // view costs about a third more CPU; what it grows to now is sized by the requests, not by start-up garbage.
  setFlagsFromString('--semi-space-growth-factor=2');

  let watcher: { stop: () => void } | undefined;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing checks in flight');
      watcher?.stop();
      const clean = await shutDown(
        [
          ['the in-process probe', async () => probe?.thread.stop()], // in-flight checks finish and go to its buffer
          ['storing the in-process probe\'s results', async () => localResults?.stop()],
          ['the last evaluation round', () => background.finish()],
          ['the evaluator', () => background.stop()],
          ['scheduled jobs', () => jobs.stop()],
          ['notifications', () => notifications.stop()],
          ['the HTTP server', () => server.close()],
          ['the database', () => database.close()],
        ],
        logger,
      );
      logger.info({ clean }, clean ? 'stopped' : 'stopped; what did not finish is named above');
      resolve(clean ? 0 : EXIT.runtime);
      // a step left behind may still hold the event loop (a socket, a timer): the process ends here regardless
      setTimeout(() => process.exit(clean ? 0 : EXIT.runtime), 1_000).unref();
    };
    onSignal = (signal) => void stop(signal);
    // SIGHUP (and, when asked for, a change to the file) reloads the config file, as `statusvakt config reload` does; a file with a mistake is refused and logged
    const reloadBy = (trigger: string) => {
      if (stopping) return;
      void reloader.reload().then(async (outcome) => {
        await recordAudit(db, { actor: 'system', action: outcome.ok ? 'config.reload' : 'config.reload-refused', entity: 'config', entityId: outcome.file, organisationId: null, before: { trigger }, after: outcome.ok ? outcome.changes : { issues: outcome.issues }, at: now() });
        if (!outcome.ok) process.stderr.write(`statusvakt: ${outcome.message}\n`);
      }, (err: unknown) => logger.error({ err }, 'configuration reload failed; the running configuration stays'));
    };
    onHangup = () => reloadBy('SIGHUP');
    watcher = env.STATUSVAKT_CONFIG_WATCH === 'true' ? watchConfigFile({ file: args.configFile, onChange: () => reloadBy('file changed') }) : undefined;
    if (hangupPending) onHangup();
    if (pendingSignal) void stop(pendingSignal);
  });
}
