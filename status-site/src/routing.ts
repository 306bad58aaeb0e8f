import { isSiteLanguage, type SiteLanguage } from './i18n/messages.ts';

/**
 * The site's routes, parsed from the path:
 *   /  ·  /{lang}/  ·  /pages/{id}/  ·  /pages/{id}/{lang}/
 * and each of those followed by
 *   sla/{period}/ (the SLA report) · history/ and history/{n}/ (the incident
 *   history, newest first, paged) · incidents/{uuid}/ (one incident) ·
 *   components/{id}/ and components/{id}/windows/{n}/ (one component; its
 *   past service windows paged) · windows/ and windows/{n}/ (service
 *   windows; past ones paged) · windows/{uuid}/ (one service window) ·
 *   accessibility/ (the accessibility statement).
 */
export type Route = {
  view: 'status' | 'report' | 'history' | 'incident' | 'component' | 'windows' | 'window' | 'accessibility';
  pageId: string | undefined;
  language: SiteLanguage | undefined;
  /** The report's period; for the history, the windows and a component's windows, the page number (1 when left out). */
  period: string | undefined;
  incidentId?: string;
  windowId?: string;
  componentId?: string;
};

const VIEWS = new Set(['sla', 'history', 'incidents', 'components', 'windows', 'accessibility']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseRoute(path: string | undefined): Route | undefined {
  const segments = (path ?? '').split('/').filter(Boolean);
  let pageId: string | undefined;
  if (segments[0] === 'pages') {
    pageId = segments[1];
    if (!pageId) return undefined;
    segments.splice(0, 2);
  }
  let language: SiteLanguage | undefined;
  if (segments[0] !== undefined && !VIEWS.has(segments[0])) {
    if (!isSiteLanguage(segments[0])) return undefined;
    language = segments.shift() as SiteLanguage;
  }
  if (segments.length === 0) return { view: 'status', pageId, language, period: undefined };
  if (segments[0] === 'sla' && segments.length === 2 && /^\d{4}(-(0[1-9]|1[0-2])|-T[1-3])?$/.test(segments[1]!)) {
    return { view: 'report', pageId, language, period: segments[1] };
  }
  if (segments[0] === 'history' && segments.length === 1) return { view: 'history', pageId, language, period: undefined };
  // page 1 has one address only: history/
  if ((segments[0] === 'history' || segments[0] === 'windows') && segments.length === 2 && /^([2-9]|[1-9]\d{1,4})$/.test(segments[1]!)) {
    return { view: segments[0], pageId, language, period: segments[1] };
  }
  if (segments[0] === 'incidents' && segments.length === 2 && UUID.test(segments[1]!)) {
    return { view: 'incident', pageId, language, period: undefined, incidentId: segments[1] };
  }
  if (segments[0] === 'windows' && segments.length === 2 && UUID.test(segments[1]!)) {
    return { view: 'window', pageId, language, period: undefined, windowId: segments[1] };
  }
  if (segments[0] === 'accessibility' && segments.length === 1) return { view: 'accessibility', pageId, language, period: undefined };
  if (segments[0] === 'windows' && segments.length === 1) return { view: 'windows', pageId, language, period: undefined };
  if (segments[0] === 'components' && segments.length === 2 && /^[a-z0-9][a-z0-9-]{0,63}$/.test(segments[1]!)) {
    return { view: 'component', pageId, language, period: undefined, componentId: segments[1] };
  }
  // a component's later pages of past windows; page 1 is the component's own address
  if (segments[0] === 'components' && segments.length === 4 && /^[a-z0-9][a-z0-9-]{0,63}$/.test(segments[1]!) && segments[2] === 'windows' && /^([2-9]|[1-9]\d{1,4})$/.test(segments[3]!)) {
    return { view: 'component', pageId, language, period: segments[3], componentId: segments[1] };
  }
  return undefined;
}

/** The path of a view, for links: the default page has no /pages/{id} prefix, the default language no segment. */
export function pathOf(route: Route, defaults: { pageId: string; language: string }): string {
  const page = route.pageId && route.pageId !== defaults.pageId ? `/pages/${route.pageId}` : '';
  const language = route.language && route.language !== defaults.language ? `/${route.language}` : '';
  const view =
    route.view === 'report'
      ? `/sla/${route.period}`
      : route.view === 'history'
        ? `/history${route.period && route.period !== '1' ? `/${route.period}` : ''}`
        : route.view === 'incident'
          ? `/incidents/${route.incidentId}`
          : route.view === 'component'
            ? `/components/${route.componentId}${route.period && route.period !== '1' ? `/windows/${route.period}` : ''}`
            : route.view === 'windows'
              ? `/windows${route.period && route.period !== '1' ? `/${route.period}` : ''}`
              : route.view === 'window'
              ? `/windows/${route.windowId}`
              : route.view === 'accessibility'
              ? `/${route.view}`
              : '';
  return `${page}${language}${view}/`;
}
