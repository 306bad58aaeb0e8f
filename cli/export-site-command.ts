import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildApp, type App } from '../api/index.ts';
import { formatConfigIssues, loadConfigFile } from '../config/index.ts';
import { DataDirLockedError, openDatabase, syncConfig } from '../db/index.ts';
import { createPublicRenderer, exportSiteAtomically, loadSiteHandler, siteBrandingOf, snapshotKeyOf } from '../status-site/index.ts';
import type { Env } from './env.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './logger.ts';
import { siteLocals } from './site-locals.ts';

const V2_FILES = ['summary.json', 'status.json', 'components.json', 'incidents.json', 'incidents/unresolved.json', 'scheduled-maintenances.json', 'scheduled-maintenances/upcoming.json', 'scheduled-maintenances/active.json'];
const FEEDS = /^\/api\/v1\/pages\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}\/feeds\/(incidents\.rss|incidents\.atom|windows\.ics)$/;

/** SLA reports are exported for the periods that began in the last two years, not for every period a "previous" link reaches. */
const REPORT_YEARS = 2;

/** Where an address is rendered from in an export (what the snapshots serve, and the feeds), or undefined to leave it out. */
export function exportSourceOf(path: string, now: Date) {
  if (FEEDS.test(path)) return 'api' as const;
  // subscribing posts a form to the live server: a static copy has no one to answer it
  if (/^\/pages\/[^/]+\/subscribe\//.test(path)) return undefined;
  const period = /\/sla\/(\d{4})(?:-(\d{2})|-T([1-3]))?\/$/.exec(path);
  if (period) {
    const year = Number(period[1]);
    const month = period[2] ? Number(period[2]) : period[3] ? (Number(period[3]) - 1) * 4 + 1 : 1;
    const monthsAgo = (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() + 1 - month);
    if (monthsAgo < 0 || monthsAgo >= REPORT_YEARS * 12) return undefined;
  }
  return snapshotKeyOf('GET', path)?.source;
}

/** Every public address that no page links to: the JSON routes and feeds of each page. */
async function seedsOf(app: App, origin: string): Promise<string[]> {
  const response = await app.request(new URL('/api/v1/pages', origin).toString());
  if (response.status !== 200) throw new Error(`the list of pages answered ${response.status}`);
  const { pages } = (await response.json()) as { pages: { id: string; url: string }[] };
  const seeds = ['/', '/favicon.svg', '/api/v1/pages', ...V2_FILES.map((file) => `/api/v2/${file}`)];
  for (const page of pages) {
    const id = encodeURIComponent(page.id);
    seeds.push(new URL(page.url, origin).pathname, `/api/v1/pages/${id}/status`);
    seeds.push(...V2_FILES.map((file) => `/pages/${id}/api/v2/${file}`));
    seeds.push(`/pages/${id}/badge.svg`, `/pages/${id}/widget/`);
    const status = await app.request(new URL(`/api/v1/pages/${id}/status`, origin).toString());
    if (status.status === 200) {
      const { groups } = (await status.json()) as { groups: { components: { id: string }[] }[] };
      seeds.push(...groups.flatMap((g) => g.components).map((c) => `/pages/${id}/components/${encodeURIComponent(c.id)}/badge.svg`));
    }
    seeds.push(...['incidents.rss', 'incidents.atom', 'windows.ics'].map((feed) => `/api/v1/pages/${id}/feeds/${feed}`));
  }
  return seeds;
}

/**
 * `statusvakt export-site DIR [--every SECONDS]`: the public site as static
 * files, rendered by the handlers the live snapshots use; with `--every`,
 * again on that schedule until SIGINT/SIGTERM, each time into a fresh folder
 * put in DIR's place.
 */
export async function exportSiteCommand(args: { env: Env; configFile: string; positionals: string[]; every: string | undefined }): Promise<number> {
  const [dir, ...extra] = args.positionals;
  if (!dir || extra.length > 0) {
    process.stderr.write('usage: statusvakt export-site DIR [--every SECONDS] [--config FILE]\n');
    return 1;
  }
  const everySeconds = args.every === undefined ? undefined : Number(args.every);
  if (everySeconds !== undefined && !(Number.isInteger(everySeconds) && everySeconds >= 5 && everySeconds <= 86_400)) {
    process.stderr.write(`statusvakt export-site: --every must be a whole number of seconds from 5 to 86400 (e.g. --every 60), not "${args.every}"\n`);
    return 1;
  }
  const logger = createLogger(args.env.LOG_LEVEL);
  const loaded = await loadConfigFile(args.configFile);
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigIssues(args.configFile, loaded.issues)}\nstatusvakt: fix the configuration above and export again\n`);
    return 1;
  }
  let database;
  try {
    database = await openDatabase({ databaseUrl: args.env.DATABASE_URL, dataDir: args.env.STATUSVAKT_DATA_DIR });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`statusvakt export-site: ${error.message} (the embedded database serves one process; export from a server that uses DATABASE_URL, or while it is stopped)\n`);
      return EXIT.runtime;
    }
    throw error;
  }
  const now = () => new Date();
  await syncConfig(database.db, loaded.config, now());
  // links in the JSON and feeds name the address the site is published at
  const origin = new URL(args.env.STATUSVAKT_PUBLIC_URL ?? `http://localhost:${args.env.PORT}/`).origin;
  const app = buildApp({ database, now, logger, publicUrl: `${origin}/` });
  const site = await loadSiteHandler();
  const branding = siteBrandingOf(loaded.config, loaded.siteFiles);
  const renderPublic = createPublicRenderer({ fetchApi: async (path, env) => app.request(new URL(path, origin).toString(), undefined, env), site, locals: siteLocals(app, branding) });
  // logos and favicons are exported as the live server serves them, from memory
  const render: typeof renderPublic = async (source, path) => {
    const file = branding.files.get(path);
    return file ? { status: 200, contentType: file.contentType, body: file.bytes } : renderPublic(source, path);
  };
  const assetsDir = fileURLToPath(new URL('../status-site/dist/client', import.meta.url));
  const target = resolve(dir);

  const once = async () => {
    const startedAt = Date.now();
    const result = await exportSiteAtomically({ render, classify: (path) => exportSourceOf(path, now()), seeds: await seedsOf(app, origin), dir: target, assetsDir, ...(args.env.STATUSVAKT_PUBLIC_URL ? { liveOrigin: origin } : {}) });
    for (const { path, status } of result.skipped) process.stderr.write(`statusvakt export-site: ${path} answered ${status}; left out\n`);
    process.stdout.write(`exported ${result.files} files (${Math.round(result.bytes / 1024)} KiB) to ${target} in ${Date.now() - startedAt} ms\n`);
  };

  try {
    await once();
    if (everySeconds === undefined) return 0;
    return await new Promise<number>((done) => {
      let running = false;
      const timer = setInterval(() => {
        if (running) return; // a slow export is not overlapped by the next
        running = true;
        // a failed round keeps the last good copy in place; the next round tries again
        once()
          .catch((error: unknown) => logger.warn({ err: error }, 'export failed; the previous copy stays'))
          .finally(() => (running = false));
      }, everySeconds * 1000);
      const stop = () => {
        clearInterval(timer);
        done(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } catch (error) {
    process.stderr.write(`statusvakt export-site: ${(error as Error).message}\n`);
    return EXIT.runtime;
  } finally {
    await database.close();
  }
}
