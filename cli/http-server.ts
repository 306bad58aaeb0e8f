import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import { isApiPath, type App } from '../api/index.ts';
import type { SiteHandler } from '../status-site/index.ts';

/**
 * One HTTP server: API paths go to Hono, everything else to the Astro site.
 * The site gets an in-process client of the public API in `locals`, so it
 * reads exactly what any other API consumer reads and never the database.
 */
export async function listen(args: { app: App; site: SiteHandler; host: string; port: number; logger: Logger }) {
  const api = getRequestListener(args.app.fetch);
  const locals = {
    // the console passes the visitor's cookie and CSRF token on, so the API decides exactly as for any client
    api: async (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => {
      const response = await args.app.request(path, {
        method: init?.method ?? 'GET',
        headers: { ...(init?.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init?.headers },
        ...(init?.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown, setCookie: response.headers.get('set-cookie') };
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (isApiPath(pathname)) {
      void api(req, res);
      return;
    }
    void args.site(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    }, locals);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, args.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const shownHost = args.host === '127.0.0.1' || args.host === '::1' || args.host === '0.0.0.0' || args.host === '::' ? 'localhost' : args.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
