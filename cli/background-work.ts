import type { Logger } from 'pino';
import { evaluatePending, freezeDueMonths, markAllLive, pruneLoginThrottle, reviseLateResults, syncAutomaticIncidents } from '../api/index.ts';
import { loadRetentionDays, maintainEmbedded, maintainResultPartitions, type Database } from '../db/index.ts';
import { repeatRound } from './repeat-round.ts';

/** How often marked components are re-evaluated: the lag between a result and the state it makes. */
const EVALUATE_EVERY_MS = 1_000;
/** How often every component is re-evaluated without new results, so silence turns `unknown`. */
const SWEEP_EVERY_MS = 15_000;
/** How often to look for a month that has just become final, to freeze its statements before anyone asks, and for late results of final months. */
const FREEZE_EVERY_MS = 3_600_000;

/** How often automatic incidents are brought up to date when no state changed (the clock alone: windows ending, incidents up long enough to close). */
const SYNC_INCIDENTS_IDLE_MS = 5_000;
/** How often raw-result partitions are made ahead and days past the retention dropped; after a failed round, sooner. */
const PARTITIONS_EVERY_MS = 3_600_000;
const PARTITIONS_RETRY_MS = 60_000;
/** How often the embedded database's tables are analysed and its busiest ones vacuumed (PostgreSQL's autovacuum does this itself). */
const MAINTAIN_EMBEDDED_EVERY_MS = 600_000;
/**
 * At shutdown, how long the evaluation may go on before it is given up (its marks wait for the next start):
 * a round over a replayed backlog can take longer than the whole shutdown deadline, and the steps after it
 * (the HTTP server, the database) need their part of that deadline too.
 */
const FINISH_EVALUATION_WITHIN_MS = 4_000;

/**
 * Runs the evaluator in the background, one round at a time; `stop` waits for the round in progress. `groupWithinMs` is asked each round, so a changed config applies without a restart.
 * `embedded`: the database is PGlite, which has no autovacuum: its tables are analysed here, in the first round (after the config sync wrote the components) and then every 10 minutes.
 */
export function startBackgroundWork(args: { db: Database; now: () => Date; logger: Logger; groupWithinMs?: () => number; embedded?: boolean }) {
  let lastSweep = 0;
  let lastFreeze = 0;
  let lastMaintained = Number.NEGATIVE_INFINITY;
  let lastIncidentSync = Number.NEGATIVE_INFINITY;
  let nextPartitions = Number.NEGATIVE_INFINITY;
  /** Set at shutdown: the last round evaluates what it claims once and leaves the rest of a backlog for the next start. */
  let finishing = false;
  /** Aborted when the evaluation at shutdown has had its time; see FINISH_EVALUATION_WITHIN_MS. */
  const givenUp = new AbortController();
  const interrupt = { signal: givenUp.signal, ...(args.embedded ? {} : { outer: args.db }) };
  const maintainPartitions = async (now: Date) => {
    try {
      const done = await maintainResultPartitions(args.db, { now, retentionDays: await loadRetentionDays(args.db) });
      nextPartitions = now.getTime() + PARTITIONS_EVERY_MS;
      if (done.created.length + done.dropped.length + done.expiredFromDefault > 0) {
        args.logger.info({ created: done.created, dropped: done.dropped, movedFromDefault: done.movedFromDefault, expiredFromDefault: done.expiredFromDefault }, 'raw-result partitions maintained');
      }
    } catch (err) {
      // ingest goes on meanwhile: a day without its partition lands in the default one, which the next round empties
      nextPartitions = now.getTime() + PARTITIONS_RETRY_MS;
      args.logger.error({ err, retryInSeconds: PARTITIONS_RETRY_MS / 1000 }, 'raw-result partition maintenance failed; it is retried');
    }
  };
  const round = async () => {
    if (givenUp.signal.aborted) return; // the shutdown's time for evaluating is over
    const now = args.now();
    if (now.getTime() >= nextPartitions && !finishing) await maintainPartitions(now);
    if (args.embedded && now.getTime() - lastMaintained >= MAINTAIN_EMBEDDED_EVERY_MS) {
      lastMaintained = now.getTime();
      const { tookMs } = await maintainEmbedded(args.db);
      args.logger.debug({ tookMs }, 'embedded database analysed and vacuumed');
    }
    if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      await markAllLive(args.db, new Date(now.getTime() - 2 * SWEEP_EVERY_MS));
      lastSweep = now.getTime();
    }
    let evaluated = 0;
    try {
      const evaluate = () => evaluatePending(args.db, args.now(), { interrupt });
      for (let marks = await evaluate(); marks > 0; marks = finishing ? 0 : await evaluate()) {
        evaluated += marks; // drain: a burst of replayed results may mark more than one round takes
      }
    } catch (err) {
      if (!givenUp.signal.aborted) throw err;
      args.logger.info({ afterMs: FINISH_EVALUATION_WITHIN_MS }, 'shutdown: the evaluation was given up; its marks wait for the next start');
      return;
    }
    // states change only by evaluation: after one, incidents follow at once; otherwise only the clock moves
    // (a window ending, an incident up long enough to close), which every few seconds follows closely enough
    if (evaluated > 0 || now.getTime() - lastIncidentSync >= SYNC_INCIDENTS_IDLE_MS) {
      lastIncidentSync = now.getTime();
      await syncAutomaticIncidents(args.db, args.now(), args.groupWithinMs ? { groupWithinMs: args.groupWithinMs() } : {});
    }
    if (now.getTime() - lastFreeze >= FREEZE_EVERY_MS) {
      lastFreeze = now.getTime();
      const frozen = await freezeDueMonths(args.db, now);
      if (frozen.length > 0) args.logger.info({ pages: frozen }, 'froze the SLA statements of the months now final');
      const late = await reviseLateResults(args.db, { now });
      for (const version of late.revised) args.logger.info({ scope: version.scope, id: version.id, month: version.month, version: version.version, reason: version.reason }, 'late results revised a frozen SLA statement');
      if (late.frozen.length > 0) args.logger.info({ months: late.frozen }, 'late results made a final month measured: froze its SLA statements');
      await pruneLoginThrottle(args.db, { now });
    }
  };
  const rounds = repeatRound(round, EVALUATE_EVERY_MS, (err) => args.logger.error({ err }, 'state evaluation failed'));
  return {
    /** Waits for the round in progress, then runs one more (used in tests, to see a round's work done). */
    flush: rounds.flush,
    /**
     * At shutdown: the round in progress stops draining after its current claim, then one more
     * round evaluates the latest results; marks left over wait for the next start. Evaluation
     * still going on after FINISH_EVALUATION_WITHIN_MS is given up (rolled back, marks kept).
     */
    finish: async () => {
      finishing = true;
      const timer = setTimeout(() => givenUp.abort(new Error('shutdown: the evaluation had its time')), FINISH_EVALUATION_WITHIN_MS);
      try {
        await rounds.flush();
      } finally {
        clearTimeout(timer);
      }
    },
    stop: rounds.stop,
  };
}
