import { checkId } from './config-rules.ts';
import type { StatusvaktConfig } from './schema.ts';

/** What one kind of thing did between two configs, by id. */
export type ChangeList = { added: string[]; changed: string[]; removed: string[] };

/** What a reload changes, kind by kind: ids only, sorted, so it reads the same in a log line and an API answer. */
export type ConfigChanges = {
  organisations: ChangeList;
  regions: ChangeList;
  slaProfiles: ChangeList;
  pages: ChangeList;
  groups: ChangeList;
  components: ChangeList;
  /** `component/check`, as in the probe assignment. */
  checks: ChangeList;
  /** Parts read only at start (alert routes, schedules, branding, mail): changed here, they take effect at the next restart. */
  needsRestart: string[];
};

/**
 * The difference between the running config and a new one. A page counts as
 * changed when its own settings do (not when a component inside it does: that
 * is listed under components), a component likewise apart from its checks.
 */
export function diffConfig(before: StatusvaktConfig, after: StatusvaktConfig): ConfigChanges {
  const a = itemsOf(before);
  const b = itemsOf(after);
  return {
    organisations: compare(a.organisations, b.organisations),
    regions: compare(a.regions, b.regions),
    slaProfiles: compare(a.slaProfiles, b.slaProfiles),
    pages: compare(a.pages, b.pages),
    groups: compare(a.groups, b.groups),
    components: compare(a.components, b.components),
    checks: compare(a.checks, b.checks),
    needsRestart: Object.keys(READ_AT_START).filter((part) => stable(READ_AT_START[part]!(before)) !== stable(READ_AT_START[part]!(after))),
  };
}

/** True when nothing at all changes. */
export function isUnchanged(changes: ConfigChanges): boolean {
  return changes.needsRestart.length === 0 && Object.entries(changes).every(([key, list]) => key === 'needsRestart' || ((list as ChangeList).added.length === 0 && (list as ChangeList).changed.length === 0 && (list as ChangeList).removed.length === 0));
}

/** One line for a log or a terminal: `components: +mail, ~archive, -fax; checks: +mail/https`, or `no changes`. */
export function describeChanges(changes: ConfigChanges): string {
  const parts: string[] = [];
  for (const [kind, list] of Object.entries(changes)) {
    if (kind === 'needsRestart') continue;
    const { added, changed, removed } = list as ChangeList;
    const words = [...added.map((id) => `+${id}`), ...changed.map((id) => `~${id}`), ...removed.map((id) => `-${id}`)];
    if (words.length > 0) parts.push(`${kind}: ${words.join(', ')}`);
  }
  if (changes.needsRestart.length > 0) parts.push(`changed but applied only at restart: ${changes.needsRestart.join(', ')}`);
  return parts.length === 0 ? 'no changes' : parts.join('; ');
}

/** The parts the running server reads once, at start (scheduled jobs, the outbox's routes, the served logos), each as a function of the config. */
const READ_AT_START: Record<string, (config: StatusvaktConfig) => unknown> = {
  'scheduled jobs and reports': (config) => [config.jobs, config.pages.map((page) => [page.id, page.reports])],
  'alert routes': (config) => config.organisations.map((o) => [o.id, o.alertRoutes]),
  branding: (config) => [config.organisations.map((o) => [o.id, o.branding]), config.pages.map((page) => [page.id, page.branding])],
};

type Items = Map<string, string>;

function itemsOf(config: StatusvaktConfig) {
  const pages: Items = new Map();
  const groups: Items = new Map();
  const components: Items = new Map();
  const checks: Items = new Map();
  for (const page of config.pages) {
    const { groups: pageGroups, ...own } = page;
    pages.set(page.id, stable(own));
    for (const group of pageGroups) {
      const { components: groupComponents, ...ownGroup } = group;
      groups.set(group.id, stable({ ...ownGroup, page: page.id }));
      for (const component of groupComponents) {
        const { checks: componentChecks, ...ownComponent } = component;
        components.set(component.id, stable({ ...ownComponent, group: group.id }));
        componentChecks.forEach((check, index) => checks.set(`${component.id}/${checkId(componentChecks, index)}`, stable(check)));
      }
    }
  }
  const byId = (list: readonly { id: string }[]): Items => new Map(list.map((item) => [item.id, stable(item)]));
  return { organisations: byId(config.organisations), regions: byId(config.regions), slaProfiles: byId(config.slaProfiles), pages, groups, components, checks };
}

function compare(before: Items, after: Items): ChangeList {
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** JSON with keys sorted, so the same settings written in another order compare equal. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v)) ?? 'undefined';
}

/** What a reload answers: the changes applied, or the file's mistakes (nothing applied). */
export type ConfigReloadOutcome =
  | { ok: true; file: string; changes: ConfigChanges; summary: string }
  | { ok: false; file: string; issues: { path: string; line: number | undefined; message: string }[]; message: string };
