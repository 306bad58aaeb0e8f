import { isSiteLanguage, type SiteLanguage } from './i18n/messages.ts';

/**
 * The site's routes, parsed from the path:
 *   /  ·  /{lang}/  ·  /pages/{id}/  ·  /pages/{id}/{lang}/
 * and each of those followed by sla/{period}/ for the SLA report.
 */
export type Route = { view: 'status' | 'report'; pageId: string | undefined; language: SiteLanguage | undefined; period: string | undefined };

export function parseRoute(path: string | undefined): Route | undefined {
  const segments = (path ?? '').split('/').filter(Boolean);
  let pageId: string | undefined;
  if (segments[0] === 'pages') {
    pageId = segments[1];
    if (!pageId) return undefined;
    segments.splice(0, 2);
  }
  let language: SiteLanguage | undefined;
  if (segments[0] !== undefined && segments[0] !== 'sla') {
    if (!isSiteLanguage(segments[0])) return undefined;
    language = segments.shift() as SiteLanguage;
  }
  if (segments.length === 0) return { view: 'status', pageId, language, period: undefined };
  if (segments[0] === 'sla' && segments.length === 2 && /^\d{4}(-(0[1-9]|1[0-2])|-T[1-3])?$/.test(segments[1]!)) {
    return { view: 'report', pageId, language, period: segments[1] };
  }
  return undefined;
}

/** The path of a view, for links: the default page has no /pages/{id} prefix, the default language no segment. */
export function pathOf(route: Route, defaults: { pageId: string; language: string }): string {
  const page = route.pageId && route.pageId !== defaults.pageId ? `/pages/${route.pageId}` : '';
  const language = route.language && route.language !== defaults.language ? `/${route.language}` : '';
  const report = route.view === 'report' ? `/sla/${route.period}` : '';
  return `${page}${language}${report}/`;
}
