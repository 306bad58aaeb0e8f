import { isSiteLanguage } from '../src/i18n/messages.ts';
import { pathOf, type Route } from '../src/routing.ts';
import type { SnapshotSource } from './snapshot-key.ts';

/**
 * Component pages kept ready per status page and language: the components not
 * operational first, then in page order; at most 50, and on a large page
 * fewer, for a component page renders the month's figures of the whole page
 * and every kept page is rendered again on each refresh: at most
 * `COMPONENT_PAGE_BUDGET` divided by the number of components (one on a
 * 1,000-component page, where a component page takes about a second to render).
 */
export const MAX_COMPONENT_PAGES = 50;
export const COMPONENT_PAGE_BUDGET = 1_000;

/** How many component pages of a page with `components` components are kept ready in each language. */
export function componentPagesKept(components: number): number {
  return Math.min(MAX_COMPONENT_PAGES, components, Math.floor(COMPONENT_PAGE_BUDGET / Math.max(1, components)));
}

const V2_FILES = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
];
const FEEDS = ['incidents.rss', 'incidents.atom', 'windows.ics'];
const LISTS = ['history', 'windows'];

export type Address = { source: SnapshotSource; key: string };

type PageListing = { pages: { id: string; url: string }[] };
type PageStatusLite = {
  page: { id: string; defaultLanguage: string; languages: string[] };
  groups: { components: { id: string; state: string; inServiceWindow?: boolean }[] }[];
};

/**
 * The addresses a resident, an aggregator or a feed reader may ask for
 * first, whether anyone asked before or not: for every page and each of its
 * languages the front page, the first page of the history, the service
 * windows, the accessibility statement and some component pages
 * (`componentPagesKept`); the page's status JSON, every Statuspage JSON route, the
 * first page of the history and windows JSON, the feeds, the page badge and the widget. They are rendered at start and kept,
 * so the database being down never leaves one of them unanswered.
 */
export async function coreAddresses(fetchJson: (path: string) => Promise<unknown>): Promise<Address[]> {
  const listing = (await fetchJson('/api/v1/pages')) as PageListing;
  const defaultPageId = listing.pages[0]?.id ?? '';
  const found: Address[] = [
    { source: 'api', key: '/api/v1/pages' },
    ...V2_FILES.map((file) => ({ source: 'api' as const, key: `/api/v2/${file}` })),
  ];
  for (const { id } of listing.pages) {
    // today only: the plan needs the components and languages, not 90 days of bars
    const status = (await fetchJson(`/api/v1/pages/${encodeURIComponent(id)}/status?days=1`)) as PageStatusLite;
    const page = encodeURIComponent(id);
    const languages = status.page.languages.filter(isSiteLanguage);
    const defaults = { pageId: defaultPageId, language: status.page.defaultLanguage };
    const all = status.groups.flatMap((group) => group.components);
    const components = all
      .map((component, order) => ({ ...component, order }))
      .sort((a, b) => Number(a.state === 'up' && !a.inServiceWindow) - Number(b.state === 'up' && !b.inServiceWindow) || a.order - b.order)
      .slice(0, componentPagesKept(all.length))
      .filter((component) => /^[a-z0-9][a-z0-9-]{0,63}$/.test(component.id));
    found.push({ source: 'api', key: `/api/v1/pages/${page}/status` });
    for (const language of [undefined, ...languages]) {
      const lang = language ? `?lang=${language}` : '';
      found.push(...V2_FILES.map((file) => ({ source: 'api' as const, key: `/pages/${page}/api/v2/${file}${lang}` })));
      found.push(...FEEDS.map((feed) => ({ source: 'api' as const, key: `/api/v1/pages/${page}/feeds/${feed}${lang}` })));
      // the first page of the history and of the windows; later pages are kept once someone asks for them
      found.push(...LISTS.map((list) => ({ source: 'api' as const, key: `/api/v1/pages/${page}/${list}${lang}` })));
      found.push({ source: 'embed', key: `/pages/${page}/badge.svg${lang}` }, { source: 'embed', key: `/pages/${page}/widget/${lang}` });
    }
    for (const language of languages) {
      const site = (route: Omit<Route, 'pageId' | 'language' | 'period'>): Address => ({
        source: 'site',
        key: pathOf({ period: undefined, ...route, pageId: id, language }, defaults),
      });
      found.push(site({ view: 'status' }), site({ view: 'history' }), site({ view: 'windows' }), site({ view: 'accessibility' }));
      found.push(...components.map((component) => site({ view: 'component', componentId: component.id })));
      // where a resident goes to be told of the next change, wanted most while something is down
      found.push({ source: 'site', key: language === status.page.defaultLanguage ? `/pages/${page}/subscribe/` : `/pages/${page}/subscribe/${language}/` });
    }
  }
  const seen = new Set<string>();
  return found.filter((address) => !seen.has(address.key) && seen.add(address.key));
}

/** The incident pages a front page links to (its open and recently resolved incidents): kept with it, since they are where its visitors go next. */
export function incidentLinksOf(html: string): string[] {
  const links = new Set<string>();
  for (const [, href] of html.matchAll(/href="(\/[^"?#]*\/incidents\/[0-9a-f-]{36}\/)"/g)) if (href) links.add(href);
  return [...links];
}
