const LANGUAGES = new Set(['da', 'en', 'nb', 'sv', 'it']);
const V2_FILES = new Set([
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
]);
const PAGE_ID = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}';
const PUBLIC_API = [
  /^\/api\/v1\/pages$/,
  new RegExp(`^/api/v1/pages/${PAGE_ID}/status$`),
  new RegExp(`^/api/v1/pages/${PAGE_ID}/components/${PAGE_ID}/latency$`),
  new RegExp(`^/api/v1/pages/${PAGE_ID}/incidents(?:/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$`),
  /^\/api\/v2\/(.+)$/,
  new RegExp(`^/pages/${PAGE_ID}/api/v2/(.+)$`),
];
/** A page's feeds (RSS, Atom, iCalendar); `?component=` narrows one to a component and is part of its key. */
const FEED = new RegExp(`^/api/v1/pages/${PAGE_ID}/feeds/(?:incidents\\.rss|incidents\\.atom|windows\\.ics)$`);
const COMPONENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A page's history and service windows, paged (`page`; the windows also by `component`), and one window by id. */
const LIST = new RegExp(`^/api/v1/pages/${PAGE_ID}/(history|windows)$`);
const WINDOW = new RegExp(`^/api/v1/pages/${PAGE_ID}/windows/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
/** The page numbers the list routes accept (1–100,000); anything else goes to the handler for its 400. */
const LIST_PAGE = /^([1-9]\d{0,4}|100000)$/;
const MAX_PATH = 200;
/** What other sites embed: badges of a page and of each of its components, and a page's widget (see render-badge.ts, render-widget.ts). */
const EMBED = new RegExp(`^/pages/${PAGE_ID}/((components/${PAGE_ID}/)?badge\\.svg|widget/)$`);

/** Where a snapshot comes from: the API (JSON), the site (HTML) or what other sites embed, drawn from the API's page status (badges, the widget). */
export type SnapshotSource = 'api' | 'site' | 'embed';

/**
 * The snapshot a public request is answered from, as `{ source, key }`, or
 * undefined when the request must go to its handler: anything but GET/HEAD,
 * operator and console routes, and addresses no snapshot can stand for.
 *
 * The key is the path plus the query parameters that change a public
 * answer (`lang`, `days`, a feed's or the windows' `component`, a list's
 * `page`); other parameters do not change what is sent, so they do not make
 * new snapshots (nor can a visitor grow the cache with them).
 */
export function snapshotKeyOf(method: string | undefined, url: string | undefined): { source: SnapshotSource; key: string } | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const raw = url ?? '/';
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  if (path.length > MAX_PATH || !/^[A-Za-z0-9/_.-]*$/.test(path) || path.includes('//') || path.includes('..')) return undefined;
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const lang = query.get('lang');
  if (EMBED.test(path)) return { source: 'embed', key: lang && /^[a-z]{2,3}$/.test(lang) ? `${path}?lang=${lang}` : path };
  const days = query.get('days');
  // a value the handler would refuse goes to it, for its 400
  if (lang !== null && !LANGUAGES.has(lang)) return undefined;
  if (days !== null && !/^([1-9]|[1-8][0-9]|90)$/.test(days)) return undefined;
  const params = [lang ? `lang=${lang}` : '', days ? `days=${days}` : ''].filter(Boolean).join('&');
  const suffix = params ? `?${params}` : '';

  if (FEED.test(path)) {
    const component = query.get('component');
    if (component === null) return { source: 'api', key: `${path}${suffix}` };
    // an id no component can have goes to the handler for its 404; a real one is one more kept address (404s are not kept)
    if (!COMPONENT_ID.test(component) || days !== null) return undefined;
    return { source: 'api', key: `${path}${suffix ? `${suffix}&` : '?'}component=${component}` };
  }
  if (WINDOW.test(path)) return { source: 'api', key: lang ? `${path}?lang=${lang}` : path };
  const list = LIST.exec(path);
  if (list) {
    const page = query.get('page');
    const component = list[1] === 'windows' ? query.get('component') : null;
    if ((page !== null && !LIST_PAGE.test(page)) || (component !== null && !COMPONENT_ID.test(component))) return undefined;
    // page 1 is the list's own address, asked for with or without `page`
    const listParams = [lang ? `lang=${lang}` : '', component ? `component=${component}` : '', page && page !== '1' ? `page=${page}` : ''].filter(Boolean).join('&');
    return { source: 'api', key: listParams ? `${path}?${listParams}` : path };
  }
  for (const pattern of PUBLIC_API) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (match[1] !== undefined && !V2_FILES.has(match[1])) return undefined;
    return { source: 'api', key: `${path}${suffix}` };
  }
  if (path.startsWith('/api/') || /^\/pages\/[^/]+\/api\//.test(path)) return undefined; // every other API route is live
  if (['/healthz', '/readyz', '/metrics', '/openapi.json'].includes(path)) return undefined;
  if (path.startsWith('/console') || path.startsWith('/_')) return undefined; // operators' pages and the framework's own routes
  return { source: 'site', key: path };
}
