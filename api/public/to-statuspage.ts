import { localize, type Language } from '../../config/index.ts';
import type { ComponentStatus, PageStatus } from './load-page-status.ts';

/** Component status values exactly as Statuspage's public API uses them. */
export type StatuspageComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type StatuspageIndicator = 'none' | 'minor' | 'major' | 'critical';

export type StatuspageComponent = {
  id: string;
  name: string;
  status: StatuspageComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
  /** Not in Statuspage's API: whether `status` is what the probes measured or what an operator declared (the worse of the two shows). */
  status_source?: 'measured' | 'declared' | 'dependency';
};

export type StatuspagePage = { id: string; name: string; url: string; time_zone: string; updated_at: string };

/**
 * Our state to Statuspage's status. Statuspage has no "unknown": no fresh
 * measurement is not a known-good state, so it shows as degraded_performance
 * (our own JSON says `unknown`). Down in every fresh region is a major outage;
 * down by majority with some regions still answering is a partial outage.
 */
export function toStatuspageStatus(component: Pick<ComponentStatus, 'state' | 'regions'> & { inServiceWindow?: boolean }): StatuspageComponentStatus {
  if (component.inServiceWindow) return 'under_maintenance';
  switch (component.state) {
    case 'up':
      return 'operational';
    case 'degraded':
    case 'unknown':
      return 'degraded_performance';
    case 'down':
      return component.regions.some((r) => r.outcome === 'up' || r.outcome === 'degraded') ? 'partial_outage' : 'major_outage';
  }
}

const SEVERITY: Record<StatuspageComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 1,
  partial_outage: 2,
  major_outage: 3,
};

const INDICATOR_TEXT: Record<StatuspageIndicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
};

/** Statuspage's page indicator: the worst component decides, and a majority in outage (partial or major) is critical — the same rule as our own overall state. */
export function toStatuspageIndicator(statuses: readonly StatuspageComponentStatus[]): { indicator: StatuspageIndicator; description: string } {
  const worst = Math.max(0, ...statuses.map((s) => SEVERITY[s]));
  const outages = statuses.filter((s) => s === 'major_outage' || s === 'partial_outage').length;
  const indicator: StatuspageIndicator =
    outages * 2 > statuses.length ? 'critical' : worst >= 2 ? 'major' : worst === 1 ? 'minor' : 'none';
  return { indicator, description: INDICATOR_TEXT[indicator] };
}

/** Statuspage's `components.json` body, groups listed as components with `group: true`. */
export function toStatuspageComponents(status: PageStatus, args: { baseUrl: string; language?: Language }) {
  const language = args.language ?? status.page.defaultLanguage;
  const page: StatuspagePage = {
    id: status.page.id,
    name: localize(status.page.name, language),
    url: args.baseUrl,
    time_zone: status.page.timeZone,
    updated_at: status.generatedAt,
  };
  const components: StatuspageComponent[] = [];
  status.groups.forEach((group, groupPosition) => {
    const members = group.components.map((component, position): StatuspageComponent => ({
      id: component.id,
      name: localize(component.name, language),
      status: component.shown.status,
      status_source: component.shown.by,
      created_at: component.createdAt,
      updated_at: component.since ?? status.generatedAt,
      position: position + 1,
      description: component.description ? localize(component.description, language) : null,
      showcase: true,
      start_date: null,
      group_id: group.id,
      page_id: status.page.id,
      group: false,
      only_show_if_degraded: false,
    }));
    const worst = members.reduce<StatuspageComponentStatus>((w, m) => (SEVERITY[m.status] > SEVERITY[w] ? m.status : w), 'operational');
    components.push({
      id: group.id,
      name: localize(group.name, language),
      status: worst,
      created_at: group.createdAt,
      updated_at: status.generatedAt,
      position: groupPosition + 1,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: status.page.id,
      group: true,
      only_show_if_degraded: false,
      components: members.map((m) => m.id),
    });
    components.push(...members);
  });
  const status_ = toStatuspageIndicator(components.filter((c) => !c.group).map((c) => c.status));
  return { page, components, status: status_ };
}
