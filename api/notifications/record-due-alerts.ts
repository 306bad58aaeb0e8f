import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AlertRoute } from '../../config/index.ts';
import { rowsOf, tables, type Database } from '../../db/index.ts';
import { incidentView } from '../incidents/incident-service.ts';
import { loadRegionHealth } from '../public/load-region-health.ts';
import { alertIncident, recordAlert } from './record-alert.ts';
import { recordCredentialAlerts } from './record-credential-alerts.ts';

/** A route with the organisation it belongs to. */
export type OrganisationRoute = { organisationId: string; route: AlertRoute };

const MINUTE_MS = 60_000;

/**
 * Raises the alerts that the clock makes due: repeats for an unacknowledged
 * A incident, communication steps due soon or overdue, reaction deadlines
 * near or breached, windows overrunning, CloudWatch credentials failing
 * and working again. Each has a unique key (incident,
 * step or window, kind and, where the route sets the lead time, the route),
 * so running this on every replica and after every restart raises each once.
 * Returns how many it raised.
 */
export async function recordDueAlerts(db: Database, args: { routes: readonly OrganisationRoute[]; now: Date }): Promise<number> {
  const { now } = args;
  if (args.routes.length === 0) return 0;
  let raised = 0;
  const raise = async (fields: Parameters<typeof recordAlert>[1]) => {
    if (await recordAlert(db, fields)) raised++;
  };
  const open = await db
    .select({ incident: tables.incidents, organisationId: tables.statusPages.organisationId })
    .from(tables.incidents)
    .innerJoin(tables.statusPages, eq(tables.statusPages.id, tables.incidents.pageId))
    .where(isNull(tables.incidents.resolvedAt));
  for (const { incident, organisationId } of open) {
    const routes = args.routes.filter((r) => r.organisationId === organisationId);
    const wants = (event: AlertRoute['events'][number]) => routes.filter((r) => r.route.events.includes(event));
    if (routes.length === 0) continue;
    const base = { organisationId, priority: incident.priority, componentIds: incident.componentIds, pageIds: [incident.pageId], incident: alertIncident(incident), now };
    if (incident.priority === 'A' && !incident.acknowledgedAt) {
      for (const { route } of wants('incident_unacknowledged')) {
        const round = Math.floor((now.getTime() - incident.registeredAt.getTime()) / (route.repeatEveryMinutes * MINUTE_MS));
        if (round >= 1) await raise({ ...base, event: 'incident_unacknowledged', routeId: route.id, detail: { round, registeredAt: incident.registeredAt.toISOString() }, dedupeKey: `incident_unacknowledged:${incident.id}:${route.id}:${round}` });
      }
    }
    const view = await incidentView(db, { id: incident.id, actor: 'system', now });
    const reactionDue = view.reaction.dueAt ? new Date(view.reaction.dueAt) : null;
    if (reactionDue && !incident.acknowledgedAt) {
      if (now > reactionDue) {
        if (wants('reaction_breached').length > 0) await raise({ ...base, event: 'reaction_breached', detail: { dueAt: view.reaction.dueAt }, dedupeKey: `reaction_breached:${incident.id}` });
      } else {
        for (const { route } of wants('reaction_near')) {
          if (reactionDue.getTime() - now.getTime() <= route.reactionNearMinutes * MINUTE_MS) await raise({ ...base, event: 'reaction_near', routeId: route.id, detail: { dueAt: view.reaction.dueAt }, dedupeKey: `reaction_near:${incident.id}:${route.id}` });
        }
      }
    }
    for (const step of view.communication.steps) {
      if (!step.dueAt || step.fulfilledAt || (step.state !== 'pending' && step.state !== 'overdue')) continue;
      const due = new Date(step.dueAt);
      const key = `${incident.id}:${step.step}:${step.dueAt}`;
      if (now > due) {
        if (wants('communication_overdue').length > 0) await raise({ ...base, event: 'communication_overdue', detail: { step: step.step, dueAt: step.dueAt }, dedupeKey: `communication_overdue:${key}` });
      } else {
        for (const { route } of wants('communication_due')) {
          if (due.getTime() - now.getTime() <= route.dueInMinutes * MINUTE_MS) await raise({ ...base, event: 'communication_due', routeId: route.id, detail: { step: step.step, dueAt: step.dueAt }, dedupeKey: `communication_due:${key}:${route.id}` });
        }
      }
    }
  }
  if (args.routes.some((r) => r.route.events.includes('window_overrunning'))) {
    const overrunning = rowsOf<{ id: string; component_ids: string[]; title: unknown; planned_end: Date | string }>(
      await db.execute(sql`
        select id, component_ids, title, coalesce(extended_until, planned_end) as planned_end from service_windows
        where cancelled_at is null and actual_start is not null and actual_end is null and coalesce(extended_until, planned_end) < ${now.toISOString()}::timestamptz`),
    );
    for (const w of overrunning) {
      const end = new Date(w.planned_end).toISOString();
      await raise({ event: 'window_overrunning', priority: null, componentIds: w.component_ids, detail: { windowId: w.id, plannedEnd: end }, dedupeKey: `window_overrunning:${w.id}:${end}`, now });
    }
  }
  for (const { route } of args.routes.filter((r) => r.route.events.includes('certificate_expiring'))) {
    const horizon = new Date(now.getTime() + route.certificateDays * 86_400_000);
    const expiring = await db
      .selectDistinct({ componentId: tables.latestResults.componentId, checkId: tables.latestResults.checkId, notAfter: tables.latestResults.certNotAfter })
      .from(tables.latestResults)
      .where(and(sql`${tables.latestResults.certNotAfter} is not null`, sql`${tables.latestResults.certNotAfter} <= ${horizon.toISOString()}::timestamptz`));
    for (const c of expiring) {
      if (route.components && !route.components.includes(c.componentId)) continue;
      const notAfter = c.notAfter!.toISOString();
      // the organisation comes from the component; fan-out sends it only if it is this route's
      await raise({ event: 'certificate_expiring', routeId: route.id, priority: null, componentIds: [c.componentId], detail: { checkId: c.checkId, notAfter }, dedupeKey: `certificate_expiring:${c.componentId}:${c.checkId}:${notAfter}:${route.id}`, now });
    }
  }
  const regionRoutes = args.routes.filter((r) => r.route.events.includes('region_silent') || r.route.events.includes('region_unhealthy'));
  if (regionRoutes.length > 0) {
    for (const health of await loadRegionHealth(db, now)) {
      for (const { organisationId, route } of regionRoutes) {
        const base = { organisationId, routeId: route.id, priority: null, componentIds: [], now };
        // once per silence: the key holds the last result heard
        if (health.status === 'silent' && route.events.includes('region_silent')) {
          const since = health.lastResultAt?.toISOString() ?? '';
          await raise({ ...base, event: 'region_silent', detail: { region: health.regionId, since }, dedupeKey: `region_silent:${health.regionId}:${since}:${route.id}` });
        }
        // while it stays unhealthy, again every REGION_REPEAT_MS
        if (health.status === 'unhealthy' && route.events.includes('region_unhealthy')) {
          const period = Math.floor(now.getTime() / REGION_REPEAT_MS);
          await raise({ ...base, event: 'region_unhealthy', detail: { region: health.regionId, reason: `all ${health.failingResults} fresh results fail while other regions see the same checks up` }, dedupeKey: `region_unhealthy:${health.regionId}:${period}:${route.id}` });
        }
      }
    }
  }
  if (args.routes.some((r) => r.route.events.includes('cloudwatch_credentials'))) raised += await recordCredentialAlerts(db, now);
  return raised;
}

/** A region that stays unhealthy is reported again this often. */
const REGION_REPEAT_MS = 6 * 3_600_000;
