import type { App } from '../api/index.ts';
import { emptySiteBranding, type SiteBranding } from '../status-site/index.ts';

/**
 * What the site's pages get in `Astro.locals`: an in-process client of the
 * API, so the site reads exactly what any other API consumer reads and never
 * the database; and the branding the config gives the pages.
 */
export function siteLocals(app: App, branding: SiteBranding = emptySiteBranding()) {
  return {
    /** Logo, contact, links and region names from the config: what the page shows of its owner, which the API does not carry. */
    branding,
    // the console passes the visitor's cookie and CSRF token on, so the API decides exactly as for any client
    // `env`: a refresh round's shared reads (api/http/shared-reads.ts), never a visitor's
    api: async (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }, env?: object) => {
      const response = await app.request(
        path,
        {
          method: init?.method ?? 'GET',
          headers: { ...(init?.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init?.headers },
          ...(init?.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        },
        env,
      );
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown, setCookie: response.headers.get('set-cookie') };
    },
  };
}
