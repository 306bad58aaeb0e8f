import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { AlertPayload, OrganisationRoute } from '../../api/index.ts';
import type { StatusvaktConfig } from '../../config/index.ts';
import { rowChunks, rowsOf, tables, type Database } from '../../db/index.ts';

/** A route's target for one alert: a channel by its place in the route, and for e-mail one address. */
export type AlertTarget = { routeId: string; channel: number; to?: string };

/** Every organisation's alert routes, flat. */
export function alertRoutesOf(config: StatusvaktConfig): OrganisationRoute[] {
  return config.organisations.flatMap((o) => o.alertRoutes.map((route) => ({ organisationId: o.id, route })));
}

/** Whether a route takes an alert: its organisation, the route named (if any), its events, priorities and components. Pure. */
export function routeMatches(entry: OrganisationRoute, payload: AlertPayload, componentIds: readonly string[]): boolean {
  const { route } = entry;
  if (entry.organisationId !== payload.organisationId) return false;
  if (payload.routeId !== null && payload.routeId !== route.id) return false;
  if (payload.event !== 'test' && !route.events.includes(payload.event)) return false;
  if (payload.priority !== null && !route.priorities.includes(payload.priority)) return false;
  if (route.components && componentIds.length > 0 && !componentIds.some((id) => route.components!.includes(id))) return false;
  return true;
}

/** The server log's line for an event that operators care about whether or not a route takes it. */
function logLine(logger: Logger, payload: AlertPayload) {
  const components = payload.components.map((c) => c.id);
  switch (payload.event) {
    case 'component_down':
    case 'component_degraded':
    case 'component_up':
      logger.info({ components, from: payload.detail.from, to: payload.detail.to, since: payload.detail.since }, `component ${components.join(', ')} is ${payload.detail.to} (was ${payload.detail.from ?? 'not measured'})`);
      return;
    case 'incident_opened':
      logger.info({ incident: payload.incident?.id, priority: payload.priority, components }, `incident opened: ${payload.incident?.title}`);
      return;
    case 'incident_resolved':
      logger.info({ incident: payload.incident?.id, priority: payload.priority, components }, `incident closed: ${payload.incident?.title}`);
  }
}

/**
 * Turns one pending operator alert into one outbox message per matching
 * route channel (per address for e-mail), and marks it done, in one
 * transaction; the alert row is claimed with SKIP LOCKED, so with several
 * workers each alert is fanned out, and logged, once. Returns the number of
 * messages queued, or null when no alert was waiting.
 */
export async function fanOutNextAlert(db: Database, args: { routes: readonly OrganisationRoute[]; now: Date; logger: Logger; eventId?: string }): Promise<{ eventId: string; messages: number } | null> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [event] = rowsOf<{ id: string; payload: AlertPayload; component_ids: string[] }>(
      await tx.execute(sql`select id, payload, component_ids from notification_events where fanned_out_at is null and kind = 'operator_alert' ${args.eventId ? sql`and id = ${args.eventId}` : sql``} order by created_at limit 1 for update skip locked`),
    );
    if (!event) return null;
    const payload = typeof event.payload === 'string' ? (JSON.parse(event.payload) as AlertPayload) : event.payload;
    logLine(args.logger, payload);
    const targets: AlertTarget[] = [];
    for (const entry of args.routes.filter((r) => routeMatches(r, payload, event.component_ids))) {
      for (const [index, channel] of entry.route.channels.entries()) {
        if (channel.kind !== 'email') {
          targets.push({ routeId: entry.route.id, channel: index });
          continue;
        }
        const accounts = channel.accounts.length === 0 ? [] : await tx.select({ email: tables.users.email }).from(tables.users).where(and(inArray(tables.users.email, channel.accounts), isNull(tables.users.disabledAt)));
        for (const to of new Set([...channel.addresses, ...accounts.map((a) => a.email)])) targets.push({ routeId: entry.route.id, channel: index, to });
      }
    }
    if (targets.length > 0) {
      const messages = targets.map((alertTarget) => ({ kind: 'alert' as const, eventId: event.id, alertTarget, nextAttemptAt: args.now, createdAt: args.now }));
      for (const chunk of rowChunks(tables.outboxMessages, messages)) await tx.insert(tables.outboxMessages).values(chunk);
    }
    await tx.update(tables.notificationEvents).set({ fannedOutAt: args.now }).where(sql`${tables.notificationEvents.id} = ${event.id}`);
    if (targets.length > 0) args.logger.info({ event: event.id, alert: payload.event, routes: [...new Set(targets.map((t) => t.routeId))], messages: targets.length }, 'operator alert queued');
    return { eventId: event.id, messages: targets.length };
  });
}
