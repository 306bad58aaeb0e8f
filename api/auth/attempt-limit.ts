import { sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

/** Keys of attempt counters share the login throttle's table; the prefix keeps them apart from login keys. */
export const ATTEMPT_KEY_PREFIX = 'attempt:';
/** The longest window an attempt counter uses; pruning keeps rows this long. */
export const ATTEMPT_MAX_WINDOW_MS = 3_600_000;

/**
 * Counts one attempt under `key` in PostgreSQL, so every replica sees the same
 * count, and says how many seconds the caller must wait when this attempt is
 * past `limit` in the current fixed window (0 when it is allowed).
 *
 * @example await countAttempt(db, { key: `subscribe-ip:${address}`, limit: 20, windowMs: 3_600_000, now }) // 0, or seconds to wait
 */
export async function countAttempt(db: Database, args: { key: string; limit: number; windowMs: number; now: Date }): Promise<number> {
  const t = tables.loginThrottle;
  const openedAfter = new Date(args.now.getTime() - Math.min(args.windowMs, ATTEMPT_MAX_WINDOW_MS)).toISOString();
  // one statement, so two replicas counting at once never lose an attempt
  const [row] = await db
    .insert(t)
    .values({ key: `${ATTEMPT_KEY_PREFIX}${args.key}`, windowStart: args.now, failures: 1 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${t.windowStart} <= ${openedAfter}::timestamptz then 1 else ${t.failures} + 1 end`,
        windowStart: sql`case when ${t.windowStart} <= ${openedAfter}::timestamptz then ${args.now.toISOString()}::timestamptz else ${t.windowStart} end`,
      },
    })
    .returning({ failures: t.failures, windowStart: t.windowStart });
  if (row!.failures <= args.limit) return 0;
  return Math.max(1, Math.ceil((row!.windowStart.getTime() + args.windowMs - args.now.getTime()) / 1000));
}
