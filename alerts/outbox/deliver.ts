import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { AlertPayload, IncidentUpdatePayload, NotificationKind, OrganisationRoute, WindowPayload } from '../../api/index.ts';
import type { LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import { sendSlack, sendTeams, sendWebhook, type MailChannel, type OutgoingMail, type SendOutcome, type WebhookDelivery } from '../channels/index.ts';
import { renderAlert, renderAlertMail, renderAlertWebhookPayload, renderWebhookPayload, type RenderedAlert } from '../render/index.ts';
import { describeDuration, nextAttemptAt, type BackoffPolicy } from './backoff.ts';
import { claimDueMessages, type ClaimedMessage } from './claim.ts';
import type { DigestPayload } from '../jobs/queue-digest.ts';
import type { ReportPayload } from '../jobs/queue-report.ts';
import { logFieldsOf, maskAddress, maskAddressesIn, type SentVia } from './log-fields.ts';
import { composeConfirmMail, composeDigestMail, composeEventMail, composeReportMail, messageIdOf, type Links } from './compose-mail.ts';

export type DeliveryDeps = {
  db: Database;
  /** null: mail is not sent (no SMTP); webhooks still are. */
  channel: MailChannel | null;
  /** Call webhook URLs that are plain http or resolve to internal addresses (tests, closed networks). */
  webhooksAllowInternal?: boolean;
  now: () => Date;
  random: () => number;
  links: Links;
  backoff: BackoffPolicy;
  logger: Logger;
  /** Messages claimed per round. */
  batchSize: number;
  /** Sends in flight at once (the SMTP pool queues beyond its connections). */
  concurrency: number;
  /** How long a claim holds before another worker may take the row. Longer than a batch takes to send. */
  leaseMs: number;
  /** Operator alert routes of every organisation (from the config). */
  routes?: readonly OrganisationRoute[];
  /** Reads the environment variable a channel names for its secret URL or signing key. */
  readSecret?: (name: string) => string | undefined;
  /** Claim only these outbox rows (a test send), not whatever is due. */
  only?: readonly string[];
};

/** A Slack or Teams message: an unsigned POST to a secret URL. */
type IncomingDelivery = { incoming: 'slack' | 'teams'; url: string; alert: RenderedAlert; format: 'messagecard' | 'adaptivecard' };
type Delivery = OutgoingMail | WebhookDelivery | IncomingDelivery | { skip: string } | { wait: string };

export type RoundCounts = { claimed: number; sent: number; retrying: number; failed: number };

/** Claims one batch, sends each message and records each outcome as soon as it is known. */
export async function deliverBatch(deps: DeliveryDeps): Promise<RoundCounts> {
  const claimed = await claimDueMessages(deps.db, { now: deps.now(), limit: deps.batchSize, leaseMs: deps.leaseMs, withMail: deps.channel !== null, ...(deps.only ? { only: deps.only } : {}) });
  const counts: RoundCounts = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return counts;
  const claimedAtMs = deps.now().getTime();
  const mails = await composeAll(deps, claimed);
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      // a send must end inside the lease, or another worker may take the row while it is on the wire:
      // past half the lease, start no more sends and hand the rest back
      if (deps.now().getTime() - claimedAtMs > deps.leaseMs / 2) return;
      const message = claimed[next++]!;
      const mail = mails.get(message.id);
      const outcome = await sendOne(deps, mail);
      counts[await record(deps, message, outcome, sentVia(deps, mail))]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency, claimed.length) }, lane));
  const unsent = claimed.slice(next).map((m) => m.id);
  if (unsent.length > 0) {
    await deps.db.update(tables.outboxMessages).set({ nextAttemptAt: deps.now(), attempts: sql`${tables.outboxMessages.attempts} - 1` }).where(and(inArray(tables.outboxMessages.id, unsent), eq(tables.outboxMessages.status, 'pending')));
  }
  return counts;
}

const skipped = (reason: string): SendOutcome => ({ ok: false, permanent: true, recipientRejected: false, reason: `not sent: ${reason}` });

async function sendOne(deps: DeliveryDeps, mail: Delivery | undefined): Promise<SendOutcome> {
  const allowInternal = deps.webhooksAllowInternal ?? false;
  if (!mail) return skipped('the recipient is gone');
  if ('skip' in mail) return skipped(mail.skip);
  // tried again later: the operator can still fix it (SMTP or a secret not configured yet)
  if ('wait' in mail) return { ok: false, permanent: false, recipientRejected: false, reason: mail.wait };
  if ('incoming' in mail) return mail.incoming === 'slack' ? sendSlack(mail.url, mail.alert, { allowInternal }) : sendTeams(mail.url, mail.alert, { allowInternal, format: mail.format });
  if ('secret' in mail) return sendWebhook(mail, { allowInternal });
  if (!deps.channel) return { ok: false, permanent: false, recipientRejected: false, reason: 'SMTP is not configured (set SMTP_URL)' };
  return deps.channel.send(mail);
}

/** How a delivery is named in the log; the URL of a webhook is a secret, so only its host is shown. */
function sentVia(deps: DeliveryDeps, delivery: Delivery | undefined): SentVia | null {
  if (!delivery || 'skip' in delivery || 'wait' in delivery) return null;
  if ('incoming' in delivery) return { channel: delivery.incoming, to: hostOf(delivery.url) };
  if ('secret' in delivery) return { channel: 'webhook', messageId: delivery.deliveryId, to: hostOf(delivery.url) };
  return { channel: deps.channel?.name ?? 'smtp', messageId: `<${delivery.messageId}>`, to: maskAddress(delivery.to) };
}
const hostOf = (url: string) => URL.parse(url)?.host ?? '?';

/** An operator alert for one route channel, rendered for that channel. */
export function composeAlert(deps: Pick<DeliveryDeps, 'routes' | 'readSecret' | 'links'>, args: { outboxId: string; payload: AlertPayload; target: NonNullable<ClaimedMessage['alertTarget']>; now: Date }): Delivery {
  const route = deps.routes?.find((r) => r.route.id === args.target.routeId)?.route;
  const channel = route?.channels[args.target.channel];
  if (!route || !channel) return { skip: `alert route "${args.target.routeId}" or its channel ${args.target.channel} is no longer in the config` };
  const alert = renderAlert(args.payload, { consoleUrl: `${deps.links.publicUrl}/console` });
  const secret = (name: string) => deps.readSecret?.(name);
  switch (channel.kind) {
    case 'email':
      if (!args.target.to) return { skip: 'no address' };
      return { to: args.target.to, messageId: messageIdOf(args.outboxId, deps.links.messageIdDomain), ...renderAlertMail(alert), headers: { 'Auto-Submitted': 'auto-generated', 'X-Statusvakt-Alert': args.payload.event } };
    case 'webhook': {
      const key = secret(channel.secretEnv);
      if (!key) return { wait: `the signing secret ${channel.secretEnv} of route "${route.id}" is not set in the environment` };
      return { url: channel.url, secret: key, deliveryId: args.outboxId, at: args.now, body: JSON.stringify(renderAlertWebhookPayload({ payload: args.payload, alert, deliveryId: args.outboxId })) };
    }
    case 'slack':
    case 'teams': {
      const url = secret(channel.urlEnv);
      if (!url) return { wait: `the webhook URL ${channel.urlEnv} of route "${route.id}" is not set in the environment` };
      return { incoming: channel.kind, url, alert, format: channel.kind === 'teams' ? channel.format : 'adaptivecard' };
    }
  }
}

/** Reads what the batch needs in two queries and renders each mail; a message that must not go out says why. */
async function composeAll(deps: DeliveryDeps, claimed: ClaimedMessage[]) {
  const subscriberIds = [...new Set(claimed.map((m) => m.subscriberId).filter((id): id is string => id !== null))];
  const eventIds = [...new Set(claimed.map((m) => m.eventId).filter((id): id is string => id !== null))];
  const subscribers = new Map((subscriberIds.length ? await deps.db.select().from(tables.subscribers).where(inArray(tables.subscribers.id, subscriberIds)) : []).map((s) => [s.id, s]));
  const events = new Map((eventIds.length ? await deps.db.select().from(tables.notificationEvents).where(inArray(tables.notificationEvents.id, eventIds)) : []).map((e) => [e.id, e]));
  const webhookIds = [...new Set(claimed.map((m) => m.webhookId).filter((id): id is string => id !== null))];
  const webhooks = new Map((webhookIds.length ? await deps.db.select().from(tables.webhookSubscribers).where(inArray(tables.webhookSubscribers.id, webhookIds)) : []).map((w) => [w.id, w]));
  const pageIds = [...new Set([...subscribers.values()].map((s) => s.pageId))];
  const pages = new Map((pageIds.length ? await deps.db.select().from(tables.statusPages).where(inArray(tables.statusPages.id, pageIds)) : []).map((p) => [p.id, p]));
  const mails = new Map<string, Delivery>();
  const now = deps.now();
  for (const m of claimed) {
    if (m.kind === 'report') {
      const event = m.eventId ? events.get(m.eventId) : undefined;
      if (event && m.recipient && event.kind === 'digest') mails.set(m.id, composeDigestMail({ outboxId: m.id, to: m.recipient, payload: event.payload as DigestPayload, links: deps.links }));
      else if (event && m.recipient) mails.set(m.id, composeReportMail({ outboxId: m.id, to: m.recipient, payload: event.payload as ReportPayload, links: deps.links }));
      continue;
    }
    if (m.kind === 'alert') {
      const event = m.eventId ? events.get(m.eventId) : undefined;
      if (event && m.alertTarget) mails.set(m.id, composeAlert(deps, { outboxId: m.id, payload: event.payload as AlertPayload, target: m.alertTarget, now }));
      continue;
    }
    if (m.kind === 'webhook') {
      const hook = m.webhookId ? webhooks.get(m.webhookId) : undefined;
      const event = m.eventId ? events.get(m.eventId) : undefined;
      if (!hook || !event) continue;
      if (hook.disabledAt) mails.set(m.id, { skip: `the webhook is disabled: ${hook.disabledReason ?? ''}` });
      else mails.set(m.id, { url: hook.url, secret: hook.secret, deliveryId: m.id, at: now, body: JSON.stringify(renderWebhookPayload({ kind: event.kind as NotificationKind, payload: event.payload as IncidentUpdatePayload | WindowPayload, pageId: hook.pageId, deliveryId: m.id })) });
      continue;
    }
    const subscriber = m.subscriberId ? subscribers.get(m.subscriberId) : undefined;
    if (!subscriber) continue;
    if (subscriber.bouncedAt) {
      mails.set(m.id, { skip: `the address bounced earlier: ${subscriber.bounceReason ?? ''}` });
    } else if (m.kind === 'confirm') {
      const page = pages.get(subscriber.pageId);
      if (subscriber.confirmedAt || !subscriber.confirmNonce || !subscriber.confirmExpiresAt || subscriber.confirmExpiresAt <= now || !page) mails.set(m.id, { skip: 'the confirmation is no longer needed or has expired' });
      else mails.set(m.id, composeConfirmMail({ outboxId: m.id, subscriber: { ...subscriber, confirmNonce: subscriber.confirmNonce }, page: { name: page.name as LocalizedText, defaultLanguage: page.defaultLanguage }, links: deps.links }));
    } else {
      const event = m.eventId ? events.get(m.eventId) : undefined;
      if (!event || !subscriber.confirmedAt) mails.set(m.id, { skip: 'not confirmed, or the event is gone' });
      else mails.set(m.id, composeEventMail({ outboxId: m.id, subscriber, kind: event.kind as NotificationKind, payload: event.payload as IncidentUpdatePayload | WindowPayload, links: deps.links }));
    }
  }
  return mails;
}

/** Writes the outcome of one send; only this row, so a crash loses at most the marks of the sends in flight. */
async function record(deps: DeliveryDeps, message: ClaimedMessage, outcome: SendOutcome, via: SentVia | null): Promise<'sent' | 'retrying' | 'failed'> {
  const o = tables.outboxMessages;
  const now = deps.now();
  if (outcome.ok) {
    await deps.db.update(o).set({ status: 'sent', sentAt: now, lastError: null }).where(eq(o.id, message.id));
    if (message.webhookId) await deps.db.update(tables.webhookSubscribers).set({ permanentFailures: 0 }).where(and(eq(tables.webhookSubscribers.id, message.webhookId), sql`${tables.webhookSubscribers.permanentFailures} > 0`));
    deps.logger.info(logFieldsOf(message, via), 'notification sent');
    return 'sent';
  }
  const retryAt = outcome.permanent ? null : nextAttemptAt({ attempt: message.attempts, queuedAt: message.createdAt, now, policy: deps.backoff, random: deps.random });
  if (retryAt) {
    await deps.db.update(o).set({ nextAttemptAt: retryAt, lastError: outcome.reason }).where(and(eq(o.id, message.id), eq(o.status, 'pending')));
    return 'retrying';
  }
  const reason = outcome.permanent ? outcome.reason : `temporary failures for ${describeDuration(deps.backoff.maxAgeMs)}: ${outcome.reason}`;
  await deps.db.update(o).set({ status: 'failed', lastError: reason }).where(eq(o.id, message.id));
  if (message.webhookId && !reason.startsWith('not sent:')) await countWebhookFailure(deps, message.webhookId, reason, now);
  if (outcome.permanent && outcome.recipientRejected && message.subscriberId) {
    await deps.db.update(tables.subscribers).set({ bouncedAt: now, bounceReason: outcome.reason }).where(and(eq(tables.subscribers.id, message.subscriberId), sql`${tables.subscribers.bouncedAt} is null`));
  }
  deps.logger.warn({ ...logFieldsOf(message, via), reason: maskAddressesIn(reason) }, 'notification failed permanently');
  return 'failed';
}

/** A webhook that keeps failing for good is switched off, with the last reason, instead of being called forever. */
const WEBHOOK_FAILURES_BEFORE_DISABLE = 3;
async function countWebhookFailure(deps: DeliveryDeps, webhookId: string, reason: string, now: Date) {
  const h = tables.webhookSubscribers;
  const [row] = await deps.db.update(h).set({ permanentFailures: sql`${h.permanentFailures} + 1` }).where(eq(h.id, webhookId)).returning();
  if (row && row.permanentFailures >= WEBHOOK_FAILURES_BEFORE_DISABLE && !row.disabledAt) {
    await deps.db.update(h).set({ disabledAt: now, disabledReason: `${row.permanentFailures} deliveries failed for good; last: ${reason}` }).where(eq(h.id, webhookId));
    deps.logger.warn({ webhook: webhookId, reason }, 'webhook disabled after repeated permanent failures');
  }
}
