import type { z } from 'zod';
import type { StatusvaktConfig } from './schema.ts';
import { checkDependencies } from './dependency-rules.ts';
import { retentionShortfall } from './retention-rules.ts';

type Ctx = z.core.$RefinementCtx<StatusvaktConfig>;
type Path = (string | number)[];

/**
 * Cross-field rules the per-field schema cannot express: ids unique where
 * they must be, references that resolve, languages that the page offers.
 * Every issue carries the path of the offending field and a fix.
 */
export function checkConfigRules(config: StatusvaktConfig, ctx: Ctx): void {
  // These rules also run when fields are invalid, so that a person sees every
  // mistake at once: read the data defensively.
  config = lenient(config);
  const fail = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });

  const regionIds = reportDuplicates(config.regions.map((r, i) => ({ id: r.id, path: ['regions', i, 'id'] })), 'region', fail);
  const orgIds = reportDuplicates(config.organisations.map((o, i) => ({ id: o.id, path: ['organisations', i, 'id'] })), 'organisation', fail);
  const calendarIds = reportDuplicates(config.calendars.map((c, i) => ({ id: c.id, path: ['calendars', i, 'id'] })), 'calendar', fail);
  const profileIds = reportDuplicates(config.slaProfiles.map((p, i) => ({ id: p.id, path: ['slaProfiles', i, 'id'] })), 'SLA profile', fail);
  reportDuplicates(config.pages.map((p, i) => ({ id: p.id, path: ['pages', i, 'id'] })), 'page', fail);

  const groups: { id: string; path: Path }[] = [];
  const components: { id: string; path: Path }[] = [];

  const hostnames = new Map<string, string>();
  config.pages.forEach((page, p) => {
    const pagePath: Path = ['pages', p];
    page.hostnames.forEach((host, h) => {
      const owner = hostnames.get(host);
      if (owner !== undefined) fail([...pagePath, 'hostnames', h], `"${host}" is already the host name of page "${owner}"; a host name can serve one page only, remove it from one of them`);
      else hostnames.set(host, page.id);
    });
    if (!orgIds.has(page.organisation)) {
      fail([...pagePath, 'organisation'], `unknown organisation "${page.organisation}"; add it under organisations or use one of: ${list(orgIds)}`);
    }
    if (page.defaultLanguage !== undefined && page.languages.length > 0 && !page.languages.includes(page.defaultLanguage)) {
      fail([...pagePath, 'defaultLanguage'], `"${page.defaultLanguage}" is not in this page's languages (${page.languages.join(', ')}); add it there or pick one of them`);
    }
    page.groups.forEach((group, g) => {
      const groupPath: Path = [...pagePath, 'groups', g];
      groups.push({ id: group.id, path: [...groupPath, 'id'] });
      group.components.forEach((component, c) => {
        const componentPath: Path = [...groupPath, 'components', c];
        components.push({ id: component.id, path: [...componentPath, 'id'] });
        if (component.slaProfile !== undefined && !profileIds.has(component.slaProfile)) {
          fail([...componentPath, 'slaProfile'], `unknown SLA profile "${component.slaProfile}"; define it under slaProfiles or use one of: ${list(profileIds)}`);
        }
        checkCategory(component, componentPath);
        checkQuorum(component, componentPath);
        const checkIds = component.checks.map((check, k) => ({ id: checkId(component.checks, k), path: [...componentPath, 'checks', k, 'id'] }));
        reportDuplicates(checkIds, 'check of this component', fail);
        component.checks.forEach((check, k) => {
          if (check.kind === 'cloudwatch') checkCloudWatch(check, [...componentPath, 'checks', k]);
          (check.regions ?? []).forEach((region, r) => {
            if (!regionIds.has(region)) {
              fail([...componentPath, 'checks', k, 'regions', r], `unknown region "${region}"; declare it under regions or use one of: ${list(regionIds)}`);
            }
          });
        });
      });
    });
  });
  if (config.quorum?.minFreshRegions !== undefined && config.quorum.minFreshRegions > config.regions.length) {
    fail(['quorum', 'minFreshRegions'], `${config.quorum.minFreshRegions} is more than the ${config.regions.length} regions declared under regions; use at most ${config.regions.length} or declare more regions`);
  }
  reportDuplicates(groups, 'component group', fail);
  reportDuplicates(components, 'component', fail);
  checkDependencies(config, fail);
  checkAlertRoutes(config, fail);

  config.slaProfiles.forEach((profile, i) => {
    for (const key of ['coverage', 'supportHours'] as const) {
      const coverage = profile[key];
      if (coverage?.kind !== 'business-hours') continue;
      if (coverage.start >= coverage.end) fail(['slaProfiles', i, key, 'end'], `end (${coverage.end}) must be after start (${coverage.start}) on the same day`);
      if (coverage.calendar !== undefined && !calendarIds.has(coverage.calendar)) {
        fail(['slaProfiles', i, key, 'calendar'], `unknown calendar "${coverage.calendar}"; define it under calendars or use one of: ${list(calendarIds)}`);
      }
    }
    reportDuplicates(profile.categories.map((c, k) => ({ id: c.id, path: ['slaProfiles', i, 'categories', k, 'id'] })), 'category of this profile', fail);
    profile.commitments.forEach((commitment, k) => {
      if (commitment.hours === 'support' && !profile.supportHours) fail(['slaProfiles', i, 'commitments', k, 'hours'], 'runs in support hours, but the profile has no supportHours; add them or use "coverage" or "always"');
    });
  });
  const rawResultsDays = config.retention?.rawResultsDays;
  if (typeof rawResultsDays === 'number') {
    // the most demanding profile names the fix; one issue, not one per profile
    const shortfalls = config.slaProfiles.map((profile) => retentionShortfall(rawResultsDays, profile)).filter((s) => s !== undefined);
    const worst = shortfalls.sort((a, b) => b.needed - a.needed)[0];
    if (worst) fail(['retention', 'rawResultsDays'], worst.message);
  }
  config.calendars.forEach((calendar, i) => {
    calendar.closures.forEach((closure, k) => {
      if (closure.to < closure.from) fail(['calendars', i, 'closures', k, 'to'], `ends (${closure.to}) before it starts (${closure.from})`);
    });
  });

  function checkCloudWatch(check: Extract<StatusvaktConfig['pages'][number]['groups'][number]['components'][number]['checks'][number], { kind: 'cloudwatch' }>, path: Path) {
    const metrics = Array.isArray(check.metrics) ? check.metrics : [];
    const presets = Array.isArray(check.presets) ? check.presets : [];
    if (metrics.length === 0 && presets.length === 0) fail([...path, 'metrics'], 'needs metrics or presets (e.g. presets: [{ kind: alb, loadBalancer: …, targetGroup: … }])');
    reportDuplicates(metrics.map((m, i) => ({ id: m.id, path: [...path, 'metrics', i, 'id'] })), 'metric of this check', fail);
    metrics.forEach((metric, i) => {
      if (metric.periodSeconds > check.intervalSeconds) fail([...path, 'metrics', i, 'periodSeconds'], `is longer than the check's intervalSeconds (${check.intervalSeconds}); reading more often than the period only repeats the same point`);
      if (metric.periodSeconds > check.lookbackSeconds) fail([...path, 'metrics', i, 'periodSeconds'], `is longer than lookbackSeconds (${check.lookbackSeconds}), so no full period is ever read`);
    });
  }

  function checkQuorum(component: StatusvaktConfig['pages'][number]['groups'][number]['components'][number], path: Path) {
    if (component.minFreshRegions === undefined) return;
    const running = regionsOfComponent(component, config.regions.map((r) => r.id));
    if (component.minFreshRegions > running.length) {
      fail([...path, 'minFreshRegions'], `${component.minFreshRegions} is more than the ${running.length} region(s) that run this component's checks (${running.join(', ')}); use at most ${running.length}`);
    }
  }

  function checkCategory(component: StatusvaktConfig['pages'][number]['groups'][number]['components'][number], path: Path) {
    const profile = config.slaProfiles.find((p) => p.id === component.slaProfile);
    const categories = profile?.categories ?? [];
    if (component.serviceCategory !== undefined && !categories.some((c) => c.id === component.serviceCategory)) {
      fail([...path, 'serviceCategory'], profile ? `profile "${profile.id}" has no category "${component.serviceCategory}"; use one of: ${list(new Set(categories.map((c) => c.id)))}` : 'a service category needs an slaProfile that defines it');
    } else if (component.serviceCategory === undefined && categories.length > 0) {
      fail([...path, 'serviceCategory'], `profile "${profile!.id}" measures by category: name one of ${list(new Set(categories.map((c) => c.id)))}`);
    }
  }
}

/** The regions that run any of a component's checks: each check's own, or all declared. */
export function regionsOfComponent(component: { checks: readonly { regions?: string[] | undefined }[] }, allRegions: readonly string[]): string[] {
  return [...new Set(component.checks.flatMap((check) => check.regions ?? allRegions))];
}

/** The id a check is stored under: its own, or its kind numbered by position among checks of that kind. */
export function checkId(checks: readonly { id?: string | undefined; kind: string }[], index: number): string {
  const check = checks[index];
  if (check === undefined) throw new RangeError(`no check at index ${index}`);
  if (check.id !== undefined) return check.id;
  const sameKindBefore = checks.slice(0, index).filter((c) => c.kind === check.kind && c.id === undefined).length;
  return sameKindBefore === 0 ? check.kind : `${check.kind}-${sameKindBefore + 1}`;
}

/** Route ids are unique across organisations (the CLI names a route by its id); a route's components belong to its organisation's pages. */
function checkAlertRoutes(config: StatusvaktConfig, fail: (path: Path, message: string) => void) {
  const routes: { id: string; path: Path }[] = [];
  config.organisations.forEach((org, o) => {
    const own = new Set(config.pages.filter((p) => p.organisation === org.id).flatMap((p) => p.groups.flatMap((g) => g.components.map((c) => c.id))));
    (Array.isArray(org.alertRoutes) ? org.alertRoutes : []).forEach((route, r) => {
      if (route === null || typeof route !== 'object') return;
      routes.push({ id: route.id, path: ['organisations', o, 'alertRoutes', r, 'id'] });
      (Array.isArray(route.components) ? route.components : []).forEach((component, c) => {
        if (!own.has(component)) fail(['organisations', o, 'alertRoutes', r, 'components', c], `unknown component "${component}" for organisation "${org.id}"; use one of: ${list(own)}`);
      });
    });
  });
  reportDuplicates(routes, 'alert route', fail);
}

/** Arrays where the schema promises them (empty when the field itself is broken). */
function lenient(raw: StatusvaktConfig): StatusvaktConfig {
  const arr = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value.filter((v) => v !== null && typeof v === 'object') : []);
  return {
    regions: arr(raw.regions),
    quorum: raw.quorum !== null && typeof raw.quorum === 'object' ? raw.quorum : undefined,
    retention: raw.retention !== null && typeof raw.retention === 'object' ? raw.retention : undefined,
    organisations: arr(raw.organisations),
    calendars: arr(raw.calendars).map((c) => ({ ...c, closures: arr(c.closures) })),
    slaProfiles: arr(raw.slaProfiles).map((p) => ({ ...p, coverage: p.coverage ?? { kind: 'always' }, categories: arr(p.categories), commitments: arr(p.commitments) })),
    pages: arr(raw.pages).map((page) => ({
      ...page,
      languages: Array.isArray(page.languages) ? page.languages : [],
      groups: arr(page.groups).map((group) => ({
        ...group,
        components: arr(group.components).map((c) => ({ ...c, checks: arr(c.checks).map((k) => ({ ...k, regions: Array.isArray(k.regions) ? k.regions : undefined })) })),
      })),
    })),
  };
}

function reportDuplicates(entries: { id: string; path: Path }[], what: string, fail: (path: Path, message: string) => void): Set<string> {
  const seen = new Map<string, Path>();
  for (const { id, path } of entries) {
    const first = seen.get(id);
    if (first) {
      fail(path, `duplicate ${what} id "${id}" (first used at ${first.join('.')}); give each ${what} its own id`);
    } else {
      seen.set(id, path);
    }
  }
  return new Set(seen.keys());
}

function list(ids: Set<string>): string {
  return ids.size === 0 ? '(none defined)' : [...ids].map((id) => `"${id}"`).join(', ');
}
