import type { Logger } from 'pino';
import { ingestResults } from '../api/index.ts';
import type { Database } from '../db/index.ts';
import { DEFAULT_RETRY, ResultBuffer, retryDelayMs, type CheckResult } from '../probe/index.ts';

const BATCH = 500;
/**
 * Results that arrive within this long are stored together: one statement
 * for many checks instead of one each (a 1,000-component page sends about 17
 * a second, one at a time), well within the second a state may lag behind.
 */
const GATHER_MS = 200;

/**
 * The in-process probe's results on their way to the database, through the
 * same on-disk buffer a remote probe keeps: a result is written to the
 * buffer first and stored from there in order, so a database that is down
 * (PostgreSQL restarting under `start`) delays results but loses none. While
 * the database refuses them the stores back off (1 s doubling to 60 s, with
 * jitter) and the outage is logged once, with a count when it ends. What is
 * still buffered at shutdown is stored at the next start.
 */
export function startLocalResults(args: { db: Database; regionId: string; dir: string; maxBuffered: number; logger: Logger; now: () => Date }) {
  // this thread answers the site's visitors: the acknowledgement cursor is written off it, so a slow disk never holds them
  const buffer = ResultBuffer.open(args.dir, { maxResults: args.maxBuffered, log: args.logger, cursorWrites: 'background' });
  let draining: Promise<void> | undefined;
  let failures = 0;
  let outageSince: Date | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const drainOnce = async () => {
    while (buffer.stats.pending > 0) {
      const batch = buffer.peek(BATCH);
      try {
        const outcome = await ingestResults(args.db, { regionId: args.regionId, results: batch, now: args.now() });
        if (outcome.rejected.length > 0) args.logger.warn({ rejected: outcome.rejected }, 'result rejected');
      } catch (err) {
        failures++;
        if (!outageSince) {
          outageSince = args.now();
          args.logger.warn({ error: err instanceof Error ? err.message : String(err), buffered: buffer.stats.pending }, 'the in-process probe cannot store its results; they wait in its buffer');
        }
        if (!stopped) retry ??= setTimeout(() => ((retry = undefined), void drain()), retryDelayMs({ failures, policy: DEFAULT_RETRY, random: Math.random }));
        return;
      }
      buffer.acknowledge(batch.length);
      if (outageSince) {
        args.logger.info({ since: outageSince.toISOString(), attempts: failures }, 'the in-process probe stores its results again');
        outageSince = undefined;
      }
      failures = 0;
    }
  };
  const drain = (): Promise<void> => (draining ??= drainOnce().finally(() => (draining = undefined)));
  let gathering: NodeJS.Timeout | undefined;
  const drainSoon = () => {
    if (retry || gathering) return;
    if (buffer.stats.pending >= BATCH) return void drain();
    gathering = setTimeout(() => {
      gathering = undefined;
      void drain();
    }, GATHER_MS);
  };

  // what an earlier run left behind goes first
  void drain();
  return {
    accept: (result: CheckResult) => {
      buffer.append(result);
      drainSoon();
    },
    /** One last attempt to store what is buffered; what remains stays on disk for the next start. */
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      retry = undefined;
      clearTimeout(gathering);
      gathering = undefined;
      await draining;
      await drain();
      await buffer.settled();
      if (buffer.stats.pending > 0) args.logger.warn({ buffered: buffer.stats.pending }, 'results of the in-process probe stay in its buffer until the next start');
    },
    stats: () => buffer.stats,
  };
}
