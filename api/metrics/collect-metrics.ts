import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { tables, type Database } from '../../db/index.ts';
import { incidentView } from '../incidents/index.ts';
import { computePageReport, type PageReport } from '../sla-reports/index.ts';

/** Process metrics (CPU, memory, event loop) live in their own registry, collected continuously. */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** blackbox_exporter's phase names for our phases. */
const PHASES = { dns: 'resolve', connect: 'connect', tls: 'tls', firstByte: 'processing', transfer: 'transfer' } as const;
/**
 * Check kinds that are not HTTP, as blackbox_exporter's tcp and dns modules:
 * no probe_http_* series for them, but probe_dns_lookup_time_seconds and,
 * after a handshake, probe_ssl_earliest_cert_expiry.
 */
const NOT_HTTP = new Set(['tcp', 'tls', 'dns']);
const STATES = ['up', 'degraded', 'down', 'unknown'] as const;

/** SLA figures change slowly and cost a report per page: computed at most this often. */
const SLA_CACHE_MS = 60_000;
const slaCache = new WeakMap<Database, { at: number; reports: Promise<PageReport[]> }>();

/**
 * The Prometheus exposition: probe metrics named as blackbox_exporter names
 * them, labelled by component, check and region; Statusvakt's SLA figures for
 * the current month; process metrics. Labels come only from configured ids
 * and fixed vocabularies (no URLs, no messages), so cardinality is bounded by
 * the configuration.
 */
export async function collectMetrics(db: Database, now: Date): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const probe = ['component', 'check', 'region'] as const;
  const success = new Gauge({ name: 'probe_success', help: 'Whether the latest check succeeded (up or degraded)', labelNames: probe, registers: [registry] });
  const duration = new Gauge({ name: 'probe_duration_seconds', help: 'How long the latest check took', labelNames: probe, registers: [registry] });
  const phase = new Gauge({ name: 'probe_http_duration_seconds', help: 'Duration of each HTTP phase of the latest check', labelNames: [...probe, 'phase'], registers: [registry] });
  const status = new Gauge({ name: 'probe_http_status_code', help: 'HTTP status of the latest check (0 when none)', labelNames: probe, registers: [registry] });
  const lookup = new Gauge({ name: 'probe_dns_lookup_time_seconds', help: 'How long the DNS lookup of the latest check took', labelNames: probe, registers: [registry] });
  const expiry = new Gauge({ name: 'probe_ssl_earliest_cert_expiry', help: 'Expiry of the server certificate, unix seconds', labelNames: probe, registers: [registry] });
  const age = new Gauge({ name: 'statusvakt_probe_result_age_seconds', help: 'Seconds since the latest result started', labelNames: probe, registers: [registry] });

  const live = await db
    .select({ l: tables.latestResults, kind: tables.checks.kind })
    .from(tables.latestResults)
    .innerJoin(tables.checks, and(eq(tables.checks.componentId, tables.latestResults.componentId), eq(tables.checks.checkId, tables.latestResults.checkId)))
    .where(isNull(tables.checks.retiredAt));
  for (const { l, kind } of live) {
    const labels = { component: l.componentId, check: l.checkId, region: l.regionId };
    const phases = l.phasesMs as Record<string, number> | null;
    success.set(labels, l.outcome === 'up' || l.outcome === 'degraded' ? 1 : 0);
    duration.set(labels, l.durationMs / 1000);
    age.set(labels, (now.getTime() - l.startedAt.getTime()) / 1000);
    if (l.certNotAfter) expiry.set(labels, Math.floor(l.certNotAfter.getTime() / 1000));
    if (phases?.dns !== undefined) lookup.set(labels, phases.dns / 1000);
    if (NOT_HTTP.has(kind)) continue;
    status.set(labels, l.httpStatus ?? 0);
    for (const [ours, theirs] of Object.entries(PHASES)) {
      const ms = phases?.[ours];
      if (ms !== undefined) phase.set({ ...labels, phase: theirs }, ms / 1000);
    }
  }

  const state = new Gauge({ name: 'statusvakt_component_status', help: 'The component state by quorum, one series per state (1 for the current one)', labelNames: ['component', 'state'], registers: [registry] });
  const components = await db
    .select({ id: tables.components.id, state: tables.stateIntervals.state })
    .from(tables.components)
    .leftJoin(tables.stateIntervals, and(eq(tables.stateIntervals.componentId, tables.components.id), isNull(tables.stateIntervals.endedAt)))
    .where(isNull(tables.components.retiredAt));
  for (const c of components) for (const s of STATES) state.set({ component: c.id, state: s }, (c.state ?? 'unknown') === s ? 1 : 0);

  const inWindow = new Gauge({ name: 'statusvakt_component_in_service_window', help: '1 while an announced service window of the component is active', labelNames: ['component'], registers: [registry] });
  const w = tables.serviceWindows;
  const active = await db
    .select({ ids: w.componentIds })
    .from(w)
    .where(and(isNull(w.cancelledAt), lte(w.plannedStart, now), sql`coalesce(${w.actualEnd}, greatest(${w.plannedEnd}, ${w.extendedUntil})) > ${now.toISOString()}::timestamptz`));
  const windowed = new Set(active.flatMap((a) => a.ids));
  for (const c of components) inWindow.set({ component: c.id }, windowed.has(c.id) ? 1 : 0);

  const availability = new Gauge({ name: 'statusvakt_sla_availability_ratio', help: 'Availability so far in the current month, as the SLA profile measures it', labelNames: ['component', 'profile'], registers: [registry] });
  const target = new Gauge({ name: 'statusvakt_sla_target_ratio', help: "The SLA profile's availability target", labelNames: ['component', 'profile'], registers: [registry] });
  const budget = new Gauge({ name: 'statusvakt_sla_error_budget_remaining_seconds', help: 'Downtime still allowed in the current month so far: the budget of the time gone by, minus the downtime (negative when overspent)', labelNames: ['component', 'profile'], registers: [registry] });
  const down = new Gauge({ name: 'statusvakt_sla_downtime_seconds', help: 'Downtime counted so far in the current month', labelNames: ['component', 'profile'], registers: [registry] });
  for (const report of await slaReports(db, now)) {
    for (const line of report.components) {
      const labels = { component: line.id, profile: line.profileId };
      if (line.figures.availability !== null) availability.set(labels, line.figures.availability);
      if (line.figures.target !== null) {
        target.set(labels, line.figures.target);
        budget.set(labels, line.figures.errorBudgetLeftSeconds);
      }
      down.set(labels, line.figures.downSeconds);
    }
  }

  await collectIncidentMetrics(db, registry, now);

  const merged = Registry.merge([registry, processRegistry]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}

/** Open incidents, overdue communication steps and reaction breaches, by page and priority. */
async function collectIncidentMetrics(db: Database, registry: Registry, now: Date): Promise<void> {
  const labels = ['page', 'priority'] as const;
  const open = new Gauge({ name: 'statusvakt_open_incidents', help: 'Unresolved incidents', labelNames: labels, registers: [registry] });
  const overdue = new Gauge({ name: 'statusvakt_communication_steps_overdue', help: 'Communication steps of open incidents past their deadline', labelNames: labels, registers: [registry] });
  const breaches = new Gauge({ name: 'statusvakt_reaction_deadline_breaches', help: 'Incidents registered this month whose reaction came late or is overdue', labelNames: labels, registers: [registry] });
  const monthStart = DateTime.fromJSDate(now, { zone: 'UTC' }).startOf('month').toJSDate();
  const relevant = await db
    .select({ id: tables.incidents.id, pageId: tables.incidents.pageId, priority: tables.incidents.priority, resolvedAt: tables.incidents.resolvedAt, registeredAt: tables.incidents.registeredAt })
    .from(tables.incidents)
    .where(sql`${tables.incidents.resolvedAt} is null or ${tables.incidents.registeredAt} >= ${monthStart.toISOString()}::timestamptz`);
  const pages = await db.select({ id: tables.statusPages.id }).from(tables.statusPages).where(isNull(tables.statusPages.retiredAt));
  for (const page of pages) for (const priority of ['A', 'B', 'C', 'D']) {
    open.set({ page: page.id, priority }, 0);
    overdue.set({ page: page.id, priority }, 0);
    breaches.set({ page: page.id, priority }, 0);
  }
  for (const incident of relevant) {
    const key = { page: incident.pageId, priority: incident.priority };
    const view = await incidentView(db, { id: incident.id, actor: 'system', now });
    if (!incident.resolvedAt) {
      open.inc(key);
      overdue.inc(key, view.communication.steps.filter((s) => s.state === 'overdue').length);
    }
    if (incident.registeredAt >= monthStart && (view.reaction.state === 'late' || view.reaction.state === 'overdue')) breaches.inc(key);
  }
}

function slaReports(db: Database, now: Date): Promise<PageReport[]> {
  const cached = slaCache.get(db);
  if (cached && now.getTime() - cached.at < SLA_CACHE_MS) return cached.reports;
  const reports = (async () => {
    const pages = await db.select({ id: tables.statusPages.id, timeZone: tables.statusPages.timeZone }).from(tables.statusPages).where(isNull(tables.statusPages.retiredAt));
    return Promise.all(pages.map((p) => computePageReport(db, { pageId: p.id, periodKey: DateTime.fromJSDate(now, { zone: p.timeZone }).toFormat('yyyy-MM'), now })));
  })();
  slaCache.set(db, { at: now.getTime(), reports });
  reports.catch(() => slaCache.delete(db));
  return reports;
}
