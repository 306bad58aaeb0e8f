import { mapInSlices } from '../http/in-slices.ts';
import { and, asc, isNull, sql } from 'drizzle-orm';
import type { Language, LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import type { ComponentState } from '../evaluate/evaluate-quorum.ts';
import type { RegionHealth } from '../evaluate/judge-region-health.ts';
import { dayGrid, sumDays, type DayUptime } from './daily-uptime.ts';
import { loadStateSpans } from './load-state-spans.ts';
import { loadRegionHealth } from './load-region-health.ts';
import { applyDependencies, loadDeclaredStatuses, loadDependencies, shownStatus, type Declared, type Shown } from '../component-status/index.ts';
import { loadActiveNotices, type PublicNotice } from '../notices/index.ts';
import { toStatuspageStatus } from './to-statuspage.ts';

export type RegionDetail = {
  regionId: string;
  checkId: string;
  outcome: 'up' | 'degraded' | 'down' | 'unknown';
  reason: string | null;
  message: string | null;
  latencyMs: number;
  httpStatus: number | null;
  checkedAt: string;
};

export type ComponentStatus = {
  id: string;
  createdAt: string;
  name: LocalizedText;
  description: LocalizedText | null;
  state: ComponentState;
  since: string | null;
  lastCheckedAt: string | null;
  /** An announced service window is active now: shown as under maintenance. */
  inServiceWindow: boolean;
  regions: RegionDetail[];
  uptimeDays: DayUptime[];
  /** What an operator declares now (an incident update, or set by hand), if anything. */
  declared: Declared | null;
  /** What the page shows: the worst of the measured status, the declared one and the effect of a dependency in trouble, and which it is. */
  shown: Shown;
  /** Components this one depends on that are degraded or down by their own measurements now: why it shows worse, if `shown.by` is `dependency`. */
  dependencies: { componentId: string; name: LocalizedText; effect: 'degraded' | 'down'; state: 'degraded' | 'down' }[];
  /** Ids (in the page's `notices`) of the active third-party notices of its own checks and of the components it depends on. */
  noticeIds: string[];
};

export type PageStatus = {
  page: {
    id: string;
    name: LocalizedText;
    defaultLanguage: Language;
    languages: Language[];
    timeZone: string;
    /** Where visitors report accessibility barriers, from the config. */
    accessibility: { email: string; phone?: string; url?: string; reviewed?: string } | null;
  };
  groups: { id: string; name: LocalizedText; createdAt: string; components: ComponentStatus[] }[];
  /** The page at a glance; `unknown` until any component has been measured. */
  overall: OverallState;
  /** The probe regions and whether each is measuring properly. */
  probeRegions: { regionId: string; status: RegionHealth['status']; lastResultAt: string | null }[];
  /** What third parties report as active or upcoming for the page's components and the components they depend on. */
  notices: PublicNotice[];
  generatedAt: string;
};

export type OverallState = 'none' | 'minor' | 'major' | 'critical' | 'unknown';

/** Worst state decides; most components down is critical; nothing measured yet is unknown. */
export function summarizeOverall(states: readonly ComponentState[]): OverallState {
  if (states.length === 0 || states.every((s) => s === 'unknown')) return 'unknown';
  const down = states.filter((s) => s === 'down').length;
  if (down * 2 > states.length) return 'critical';
  if (down > 0) return 'major';
  return states.some((s) => s !== 'up') ? 'minor' : 'none';
}

/** The state the page at a glance counts for a component: a declared outage counts as down, a declared degradation as degraded. */
export function shownState(component: Pick<ComponentStatus, 'state' | 'shown'>): ComponentState {
  if (component.shown.by === 'measured') return component.state;
  switch (component.shown.status) {
    case 'major_outage':
    case 'partial_outage':
      return 'down';
    case 'degraded_performance':
      return 'degraded';
    default:
      return component.state;
  }
}

const DAY_MS = 86_400_000;

/** Everything the status page shows, for one page (live components only). */
export async function loadPageStatus(db: Database, args: { pageId: string; now: Date; days?: number }): Promise<PageStatus | undefined> {
  const days = args.days ?? 90;
  const [page] = await db
    .select()
    .from(tables.statusPages)
    .where(and(sql`${tables.statusPages.id} = ${args.pageId}`, isNull(tables.statusPages.retiredAt)));
  if (!page) return undefined;
  const groups = await db
    .select()
    .from(tables.componentGroups)
    .where(and(sql`${tables.componentGroups.pageId} = ${page.id}`, isNull(tables.componentGroups.retiredAt)))
    .orderBy(asc(tables.componentGroups.position));
  const groupIds = groups.map((g) => g.id);
  const components = groupIds.length
    ? await db
        .select()
        .from(tables.components)
        .where(and(inList(tables.components.groupId, groupIds), isNull(tables.components.retiredAt)))
        .orderBy(asc(tables.components.position))
    : [];
  const componentIds = components.map((c) => c.id);
  const since = new Date(args.now.getTime() - (days + 1) * DAY_MS);
  const spans = await loadStateSpans(db, { componentIds, from: since });
  const latest = componentIds.length ? await loadLatestResults(db, componentIds) : [];
  const w = tables.serviceWindows;
  const activeWindows = componentIds.length
    ? await db
        .select({ ids: w.componentIds })
        .from(w)
        .where(and(isNull(w.cancelledAt), sql`${w.plannedStart} <= ${args.now.toISOString()}::timestamptz`, sql`coalesce(${w.actualEnd}, greatest(${w.plannedEnd}, ${w.extendedUntil})) > ${args.now.toISOString()}::timestamptz`))
    : [];
  const inWindow = new Set(activeWindows.flatMap((a) => a.ids));
  const declared = await loadDeclaredStatuses(db, { componentIds, now: args.now });
  const dependencies = await loadDependencies(db, components);
  const notices = await loadActiveNotices(db, [...new Set([...componentIds, ...dependencies.components.keys()])]);
  const noticesOf = groupBy(notices, (n) => n.componentId);
  // grouped once, so a page's cost grows with its rows and not with components × rows
  const spansOf = groupBy(spans, (s) => s.componentId);
  const latestOf = groupBy(latest, (r) => r.componentId);
  const grid = dayGrid({ days, timeZone: page.timeZone, now: args.now });

  const componentStatus = (component: (typeof components)[number]): ComponentStatus => {
    const own = spansOf.get(component.id) ?? [];
    const open = own.find((s) => s.endMs === null);
    const regions = (latestOf.get(component.id) ?? []).map((r) => r.detail);
    const lastCheckedAt = regions.reduce<string | null>((max, r) => (max === null || r.checkedAt > max ? r.checkedAt : max), null);
    const measured = { state: open?.state ?? ('unknown' as const), regions, inServiceWindow: inWindow.has(component.id) };
    const declaredNow = declared.get(component.id) ?? null;
    const { dependencies: troubled, ...shown } = applyDependencies(shownStatus(toStatuspageStatus(measured), declaredNow), dependencies.readings.get(component.id) ?? []);
    const noticeSources = [component.id, ...component.dependsOn.map((d) => d.componentId)];
    return {
      id: component.id,
      createdAt: component.createdAt.toISOString(),
      name: component.name as LocalizedText,
      description: (component.description ?? null) as LocalizedText | null,
      state: open?.state ?? 'unknown',
      since: open ? new Date(open.startMs).toISOString() : null,
      lastCheckedAt,
      inServiceWindow: inWindow.has(component.id),
      regions,
      uptimeDays: sumDays(own, grid, args.now.getTime()),
      declared: declaredNow,
      shown,
      dependencies: troubled.map((d) => {
        const target = dependencies.components.get(d.componentId)!;
        return { componentId: d.componentId, name: target.name, effect: d.effect, state: target.state as 'degraded' | 'down' };
      }),
      noticeIds: noticeSources.flatMap((id) => (noticesOf.get(id) ?? []).map((n) => n.id)),
    };
  };

  const componentsOf = groupBy(components, (c) => c.groupId);
  const groupStatus = [];
  for (const group of groups) {
    groupStatus.push({
      id: group.id,
      name: group.name as LocalizedText,
      createdAt: group.createdAt.toISOString(),
      // in slices: 90 days of 1,000 components would hold the serving thread for tens of milliseconds
      components: await mapInSlices(componentsOf.get(group.id) ?? [], componentStatus),
    });
  }
  return {
    page: {
      id: page.id,
      name: page.name as LocalizedText,
      defaultLanguage: page.defaultLanguage as Language,
      languages: page.languages as Language[],
      timeZone: page.timeZone,
      accessibility: page.accessibility ?? null,
    },
    groups: groupStatus,
    overall: summarizeOverall(groupStatus.flatMap((g) => g.components.map(shownState))),
    notices,
    probeRegions: (await loadRegionHealth(db, args.now)).map((h) => ({ regionId: h.regionId, status: h.status, lastResultAt: h.lastResultAt?.toISOString() ?? null })),
    generatedAt: args.now.toISOString(),
  };
}

async function loadLatestResults(db: Database, componentIds: string[]) {
  const rows = await db.select().from(tables.latestResults).where(inList(tables.latestResults.componentId, componentIds));
  return rows.map((row) => ({
    componentId: row.componentId,
    detail: {
      regionId: row.regionId,
      checkId: row.checkId,
      outcome: row.outcome,
      reason: row.reason,
      message: row.message,
      latencyMs: Math.round(row.durationMs),
      httpStatus: row.httpStatus,
      checkedAt: row.startedAt.toISOString(),
    } satisfies RegionDetail,
  }));
}

/** Ids of live pages, in config order; the first is the default page. */
export async function listPageIds(db: Database): Promise<string[]> {
  const rows = await db
    .select({ id: tables.statusPages.id })
    .from(tables.statusPages)
    .where(isNull(tables.statusPages.retiredAt))
    .orderBy(asc(tables.statusPages.position));
  return rows.map((r) => r.id);
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
