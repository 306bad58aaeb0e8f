import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BlockList } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import { isApiPath, type App } from '../api/index.ts';
import { addressLanguage, emptySiteBranding, errorPage, publicQueryProblem, serveSiteFile, snapshotKeyOf, startSiteSnapshots, type SiteBranding, type SiteHandler } from '../status-site/index.ts';
import { clientIsHttps, guardRequest, securityHeaders } from './request-guard.ts';
import { siteLocals } from './site-locals.ts';
import { routeForHost } from './host-pages.ts';

/** While stopping: how long a connection stays open after its last answer, and when the rest are closed whatever they are doing. */
const CLOSE_KEEP_ALIVE_MS = 50;
/**
 * How long an idle kept-alive connection stays open: longer than a load
 * balancer's idle time (60 s on most), so the balancer or client closes it
 * first. A server that closes first (Node's default is 5 s) races a request
 * sent on the connection at that moment, which the client then sees reset
 * (ECONNRESET, a 502 behind a balancer); clients that read the `Keep-Alive:
 * timeout=` header close in time, but not all do.
 */
const KEEP_ALIVE_MS = 65_000;
const CLOSE_GRACE_MS = 3_000;

/**
 * One HTTP server: API paths go to Hono, everything else to the Astro site.
 * The site gets an in-process client of the public API in `locals`, so it
 * reads exactly what any other API consumer reads and never the database.
 */
export async function listen(args: {
  app: App;
  site: SiteHandler;
  host: string;
  port: number;
  logger: Logger;
  trustedProxies?: BlockList;
  /** Serve the public site and JSON from snapshots refreshed when this token changes (see status-site/snapshot/). */
  changeToken?: () => Promise<string>;
  /** Per page, the origins that may frame its widget (`pages[].embedOrigins`). */
  embedOrigins?: ReadonlyMap<string, readonly string[]>;
  /** Host name → the page served at its `/` (`pages[].hostnames`). */
  pageOfHost?: ReadonlyMap<string, string>;
  /** Logos, favicons, contact and region names from the config (`siteBrandingOf`); the default icon alone when left out. */
  branding?: SiteBranding;
}) {
  const branding = args.branding ?? emptySiteBranding();
  const pageOfHost = args.pageOfHost ?? new Map<string, string>();
  const trusted = args.trustedProxies ?? new BlockList();
  const apiListener = getRequestListener(args.app.fetch);
  const locals = siteLocals(args.app, branding);
  let snapshots: ReturnType<typeof startSiteSnapshots> | undefined; // from the moment the address is known
  let closing = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // while the server stops, a request on a kept-alive connection is still answered, and its connection closed after
    if (closing) res.setHeader('connection', 'close');
    const routed = routeForHost({ host: req.headers.host, url: req.url ?? '/', pageOfHost });
    if (routed !== undefined) req.url = routed;
    // most requests are for a page kept ready: answered with its headers worked out in advance, before the guard's work
    if (snapshots?.answerKept(req, res, clientIsHttps(req, trusted))) return;
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const api = isApiPath(pathname);
    // the guard first: every answer, a snapshot's too, carries the security headers
    const widgetOf = /^\/pages\/([^/]+)\/widget\/$/.exec(pathname)?.[1];
    const frameAncestors = widgetOf === undefined ? undefined : args.embedOrigins?.get(widgetOf);
    if (!guardRequest(req, res, { trusted, api, ...(frameAncestors ? { frameAncestors } : {}) })) return;
    // a public address (page, JSON, feed, badge, report) with a query too long or not well formed is a 400, whatever it is for
    const embed = /\/(badge\.svg|widget\/)$/.test(pathname);
    const problem = embed || isPublicRead(req.method, pathname) ? publicQueryProblem(req.url ?? '', { embed }) : undefined;
    if (problem) {
      const json = api || pathname.endsWith('.json');
      const html = !json && !pathname.endsWith('.svg') && !/\/feeds\//.test(pathname);
      const [type, body] = json
        ? ['application/json; charset=utf-8', `${JSON.stringify({ error: { code: 'VALIDATION', message: problem } })}\n`]
        : html
          ? ['text/html; charset=utf-8', errorPage('badRequest', addressLanguage(req.url, req.headers['accept-language']), problem)]
          : ['text/plain; charset=utf-8', `${problem}\n`];
      return void res.writeHead(400, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    }
    if (serveSiteFile(req, res, branding.files)) return;
    if (snapshots?.handle(req, res)) return;
    if (api) {
      void apiListener(req, res);
      return;
    }
    void args.site(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    }, locals);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // a burst of visitors (thousands at once when an incident is announced) waits in the kernel's queue, not in SYN retries
    server.listen({ port: args.port, host: args.host, backlog: 4096 }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const shownHost = args.host === '127.0.0.1' || args.host === '::1' || args.host === '0.0.0.0' || args.host === '::' ? 'localhost' : args.host;
  const origin = `http://${shownHost}:${port}`;
  if (args.changeToken) {
    // JSON names the site's address in links: a snapshot is made for it, not for whichever Host a visitor sent
    const fetchApi = async (path: string, env?: object) => args.app.request(new URL(path, origin).toString(), undefined, env);
    snapshots = startSiteSnapshots({ fetchApi, site: args.site, locals, changeToken: args.changeToken, securityHeaders: (https) => securityHeaders({ https }), ...snapshotLog(args.logger) });
  }
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        // a connection busy now would stay open for the keep-alive time (5 s) once its answer is sent, and hold
        // the close that long. The keep-alive timer starts only when an answer has been written out in full, so
        // a short one ends such a connection right after, without cutting a large answer off mid-transfer
        // (closing "idle" connections would: Node counts one idle once the answer is ended, not yet sent)
        server.keepAliveTimeout = CLOSE_KEEP_ALIVE_MS;
        // Node 24 adds this margin (1 s) to the keep-alive time; a stopping server needs none
        (server as { keepAliveTimeoutBuffer?: number }).keepAliveTimeoutBuffer = 0;
        const cutoff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((err) => {
          clearTimeout(cutoff);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }).then(() => snapshots?.stop()),
  };
}

/** A read anyone may make: an address kept as a snapshot (by its path alone), an SLA report, a subscriber's page. */
function isPublicRead(method: string | undefined, pathname: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return snapshotKeyOf(method, pathname) !== undefined || pathname.startsWith('/api/v1/sla/') || pathname.startsWith('/api/v1/subscriptions/');
}

/** A failing refresh is logged when it starts failing and when it recovers, not every second. */
function snapshotLog(logger: Logger) {
  let failing = false;
  return {
    onError: (err: unknown, key: string | undefined) => {
      if (!failing) logger.warn({ err, key }, 'public pages cannot be refreshed; the last snapshots are served until they can');
      failing = true;
    },
    onRecover: () => {
      failing = false;
      logger.info('public pages are refreshed again');
    },
    onPlanned: (() => {
      let said: string | undefined;
      return (figures: { addresses: number; missing: number }) => {
        // said when it changes, not every minute
        const now = `${figures.addresses}/${figures.missing}`;
        if (now !== said) logger.info(figures, 'public pages rendered and kept ready');
        said = now;
      };
    })(),
  };
}
