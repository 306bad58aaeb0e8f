/**
 * Several status pages served by host name (`pages[].hostnames`): on a host
 * that belongs to a page, the site's own addresses (`/`, `/en/`,
 * `/sla/2026-11/`, `/api/v2/summary.json`) stand for that page's
 * (`/pages/{id}/…`). Other addresses, including `/pages/{other}/…`, are
 * left as they are, so every page stays reachable by path on every host.
 * Returns the address to route, or undefined to keep the request's own.
 */
export function routeForHost(args: { host: string | undefined; url: string; pageOfHost: ReadonlyMap<string, string> }): string | undefined {
  if (!args.host || args.pageOfHost.size === 0) return undefined;
  // "status.kommune.dk:443" and "STATUS.kommune.dk." name the same host
  const host = args.host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const pageId = args.pageOfHost.get(host);
  if (pageId === undefined) return undefined;
  const queryAt = args.url.indexOf('?');
  const path = queryAt === -1 ? args.url : args.url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : args.url.slice(queryAt);
  if (path === '/' || /^\/(da|en|nb|sv|it)\/$/.test(path) || /^\/((da|en|nb|sv|it)\/)?sla\/[^/]+\/$/.test(path) || /^\/api\/v2\/[a-z/-]+\.json$/.test(path)) {
    return `/pages/${encodeURIComponent(pageId)}${path}${query}`;
  }
  return undefined;
}
