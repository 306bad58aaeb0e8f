/** The views of the public site a feed links to. */
export type SiteView = { view: 'status' } | { view: 'windows' } | { view: 'incident'; incidentId: string } | { view: 'window'; windowId: string };

/** Which page and language an address is for, and the site's defaults that leave their segments out. */
export type SiteAt = { pageId: string; language: string; defaultPageId: string; defaultLanguage: string };

/**
 * The path of a view of the public site, written as the site writes its own
 * links (`pathOf` in status-site/src/routing.ts, which api/ may not import):
 * the default page has no /pages/{id} prefix, the page's default language no
 * language segment. tests/feeds.test.ts holds the two to the same paths.
 */
export function sitePath(view: SiteView, at: SiteAt): string {
  const page = at.pageId === at.defaultPageId ? '' : `/pages/${encodeURIComponent(at.pageId)}`;
  const language = at.language === at.defaultLanguage ? '' : `/${at.language}`;
  const rest =
    view.view === 'incident' ? `/incidents/${view.incidentId}` : view.view === 'window' ? `/windows/${view.windowId}` : view.view === 'windows' ? '/windows' : '';
  return `${page}${language}${rest}/`;
}

/** Absolute links to a page's views in one language: each incident and window to its own permanent page. */
export type SiteLinks = { front: string; windows: string; incident: (id: string) => string; window: (id: string) => string };

export function siteLinks(origin: string, at: SiteAt): SiteLinks {
  const url = (view: SiteView) => `${origin}${sitePath(view, at)}`;
  return {
    front: url({ view: 'status' }),
    windows: url({ view: 'windows' }),
    incident: (incidentId) => url({ view: 'incident', incidentId }),
    window: (windowId) => url({ view: 'window', windowId }),
  };
}
