import { eq, inArray } from 'drizzle-orm';
import { recordAlert, type OrganisationRoute } from '../../api/index.ts';
import { tables } from '../../db/index.ts';
import { deliverBatch, type DeliveryDeps } from './deliver.ts';
import { fanOutNextAlert, type AlertTarget } from './fan-out-alerts.ts';

export type ChannelOutcome = { channel: string; target: string; ok: boolean; detail: string };

/** How a channel is named in the report, without its secret. */
function describeTarget(entry: OrganisationRoute, target: AlertTarget): { channel: string; target: string } {
  const channel = entry.route.channels[target.channel]!;
  switch (channel.kind) {
    case 'email':
      return { channel: 'email', target: target.to ?? '' };
    case 'webhook':
      return { channel: 'webhook', target: channel.url };
    case 'slack':
    case 'teams':
      return { channel: channel.kind, target: `$${channel.urlEnv}` };
  }
}

/**
 * Sends a test alert through every channel of one route, by the same path
 * as every alert (an event, its fan-out, the outbox rows, one delivery
 * attempt each), and reports each channel's outcome. A test is tried once:
 * what did not go out is marked failed, not retried later.
 */
export async function sendTestAlert(deps: Omit<DeliveryDeps, 'only' | 'routes'>, entry: OrganisationRoute): Promise<ChannelOutcome[]> {
  const now = deps.now();
  const eventId = await recordAlert(deps.db, { event: 'test', organisationId: entry.organisationId, routeId: entry.route.id, priority: null, componentIds: [], now });
  if (!eventId) throw new Error('the test alert could not be recorded');
  await fanOutNextAlert(deps.db, { routes: [entry], now, logger: deps.logger, eventId });
  const o = tables.outboxMessages;
  const ids = (await deps.db.select({ id: o.id }).from(o).where(eq(o.eventId, eventId))).map((r) => r.id);
  if (ids.length > 0) await deliverBatch({ ...deps, routes: [entry], only: ids, batchSize: ids.length });
  const rows = ids.length > 0 ? await deps.db.select().from(o).where(inArray(o.id, ids)) : [];
  const outcomes: ChannelOutcome[] = [];
  for (const row of rows.sort((a, b) => a.alertTarget!.channel - b.alertTarget!.channel || (a.alertTarget!.to ?? '').localeCompare(b.alertTarget!.to ?? ''))) {
    const named = describeTarget(entry, row.alertTarget!);
    if (row.status === 'sent') {
      outcomes.push({ ...named, ok: true, detail: 'sent' });
      continue;
    }
    // without SMTP an e-mail row is never claimed, so it carries no error of its own
    const detail = row.lastError ?? (named.channel === 'email' && !deps.channel ? 'SMTP is not configured (set SMTP_URL)' : 'not sent');
    if (row.status === 'pending') await deps.db.update(o).set({ status: 'failed', lastError: `test alert, not retried: ${detail}` }).where(eq(o.id, row.id));
    outcomes.push({ ...named, ok: false, detail });
  }
  return outcomes;
}
