import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { purgeUnconfirmed, recordDueAlerts, recordDueWindowEvents, type OrganisationRoute } from '../../api/index.ts';
import { rowsOf, type Database } from '../../db/index.ts';
import type { MailChannel } from '../channels/index.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
import type { Links } from './compose-mail.ts';
import { IS_MAIL } from './claim.ts';
import { deliverBatch, type RoundCounts } from './deliver.ts';
import { fanOutNextAlert } from './fan-out-alerts.ts';
import { fanOutNextEvent } from './fan-out.ts';

export type OutboxWorkerOptions = {
  db: Database;
  /** null: no mail is sent (webhooks are); mail stays queued and the log says so once. */
  channel: MailChannel | null;
  webhooksAllowInternal?: boolean;
  links: Links;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  backoff?: BackoffPolicy;
  pollMs?: number;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  /** Operator alert routes; none: operator alerts are only logged. */
  routes?: readonly OrganisationRoute[];
  /** Reads the environment variable a channel names for its secret. */
  readSecret?: (name: string) => string | undefined;
};

const PURGE_EVERY_MS = 3_600_000;
/**
 * How often what the clock alone makes due is looked for (windows starting or
 * ending, reminders of deadlines counted in minutes): each look reads every
 * open incident's plan, too much to repeat every second, and ten seconds
 * late is well inside a minute's promise.
 */
const CLOCK_CHECKS_EVERY_MS = 10_000;

/**
 * The outbox loop: fan events out into messages, then claim, send and mark
 * batches until nothing is due, then wait `pollMs` (or a `wake()`).
 */
export function startOutboxWorker(options: OutboxWorkerOptions) {
  const now = options.now ?? (() => new Date());
  const deps = {
    db: options.db,
    now,
    random: options.random ?? Math.random,
    links: options.links,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    logger: options.logger,
    batchSize: options.batchSize ?? 200,
    concurrency: options.concurrency ?? 10,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    webhooksAllowInternal: options.webhooksAllowInternal ?? false,
    routes: options.routes ?? [],
    ...(options.readSecret ? { readSecret: options.readSecret } : {}),
  };
  let stopped = false;
  let warnedNoChannel = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const totals: RoundCounts = { claimed: 0, sent: 0, retrying: 0, failed: 0 };

  let lastPurgeMs = 0;
  let lastClockChecksMs = Number.NEGATIVE_INFINITY;
  const round = async () => {
    if (now().getTime() - lastPurgeMs >= PURGE_EVERY_MS) {
      lastPurgeMs = now().getTime();
      const purged = await purgeUnconfirmed(options.db, now());
      if (purged > 0) options.logger.info({ purged }, 'deleted subscriptions never confirmed within 7 days');
    }
    if (now().getTime() - lastClockChecksMs >= CLOCK_CHECKS_EVERY_MS) {
      lastClockChecksMs = now().getTime();
      const windowEvents = await recordDueWindowEvents(options.db, now());
      if (windowEvents > 0) options.logger.info({ events: windowEvents }, 'service windows started or ended by the clock');
      // a reminder that cannot be evaluated must not hold up the mail already queued
      const dueAlerts = await recordDueAlerts(options.db, { routes: deps.routes, now: now() }).catch((err: unknown) => {
        options.logger.error({ err }, 'evaluating operator alert reminders failed');
        return 0;
      });
      if (dueAlerts > 0) options.logger.info({ alerts: dueAlerts }, 'operator alerts raised by the clock');
    }
    while (!stopped && (await fanOutNextAlert(options.db, { routes: deps.routes, now: now(), logger: options.logger }))) {
      // each alert is logged and queued for its routes
    }
    while (!stopped) {
      const fanned = await fanOutNextEvent(options.db, now());
      if (!fanned) break;
      if (fanned.messages > 0) options.logger.info({ event: fanned.eventId, messages: fanned.messages }, 'notification queued for subscribers');
    }
    if (!options.channel && !warnedNoChannel) {
      const [row] = rowsOf<{ n: number }>(await options.db.execute(sql`select count(*)::int as n from outbox_messages where status = 'pending' and ${IS_MAIL}`));
      if (Number(row?.n ?? 0) > 0) {
        warnedNoChannel = true;
        options.logger.warn({ queued: Number(row!.n) }, 'SMTP is not configured (set SMTP_URL): mail stays queued in the outbox until it is');
      }
    }
    while (!stopped) {
      const counts = await deliverBatch({ ...deps, channel: options.channel });
      for (const key of Object.keys(totals) as (keyof RoundCounts)[]) totals[key] += counts[key];
      if (counts.sent > 0 || counts.failed > 0) options.logger.info(counts, 'notifications delivered');
      if (counts.claimed < deps.batchSize) break;
    }
  };
  const schedule = () => {
    running = running
      .then(round)
      .catch((err: unknown) => options.logger.error({ err }, 'outbox round failed'))
      .finally(() => {
        if (!stopped) {
          clearTimeout(timer);
          timer = setTimeout(schedule, options.pollMs ?? 1000);
        }
      });
  };
  schedule();
  return {
    /** Start a round now instead of at the next poll (after a publish). */
    wake: () => {
      clearTimeout(timer);
      schedule();
    },
    totals: () => ({ ...totals }),
    /** Waits for the round in progress, then closes the channel. */
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await options.channel?.close();
    },
  };
}
export type OutboxWorker = ReturnType<typeof startOutboxWorker>;
