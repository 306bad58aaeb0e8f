import { eq, sql } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { ATTEMPT_KEY_PREFIX, ATTEMPT_MAX_WINDOW_MS } from './attempt-limit.ts';

/**
 * Failed logins, counted in PostgreSQL so every replica sees the same counts.
 *
 * - Per client address: at most `addressLimit` failures in a window, then 429
 *   until the window ends (offices behind one NAT share an address, so the
 *   limit is generous).
 * - Per account: never a lockout. After `accountFreeFailures` failures each
 *   further one makes the next attempt wait twice as long, up to
 *   `accountMaxDelaySeconds`. Attempts during the wait are refused without
 *   counting, and the right password after the wait logs in (and clears the
 *   count), so nobody can keep an owner out for more than that delay.
 */
export type ThrottlePolicy = { windowMs: number; addressLimit: number; accountFreeFailures: number; accountMaxDelaySeconds: number };
export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 15 * 60_000, addressLimit: 50, accountFreeFailures: 5, accountMaxDelaySeconds: 30 };

const addressKey = (address: string) => `address:${address}`;
const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

/** Seconds the caller must wait before this attempt is looked at, or 0. */
export async function loginWait(db: Database, args: { address: string; email: string; now: Date; policy?: ThrottlePolicy }): Promise<number> {
  const policy = args.policy ?? DEFAULT_THROTTLE;
  const t = tables.loginThrottle;
  const rows = await db.select().from(t).where(sql`${t.key} in (${addressKey(args.address)}, ${accountKey(args.email)})`);
  let wait = 0;
  for (const row of rows) {
    const windowEnds = row.windowStart.getTime() + policy.windowMs;
    if (row.key.startsWith('address:') && windowEnds > args.now.getTime() && row.failures >= policy.addressLimit) wait = Math.max(wait, windowEnds - args.now.getTime());
    if (row.key.startsWith('account:') && row.nextAllowedAt && row.nextAllowedAt > args.now) wait = Math.max(wait, row.nextAllowedAt.getTime() - args.now.getTime());
  }
  return Math.ceil(wait / 1000);
}

/** Counts a failed attempt for the address and the account. */
export async function recordLoginFailure(db: Database, args: { address: string; email: string; now: Date; policy?: ThrottlePolicy }): Promise<void> {
  const policy = args.policy ?? DEFAULT_THROTTLE;
  const t = tables.loginThrottle;
  const windowOpenedAfter = new Date(args.now.getTime() - policy.windowMs);
  for (const key of [addressKey(args.address), accountKey(args.email)]) {
    // one statement, so replicas counting at once never lose a failure
    const [row] = await db
      .insert(t)
      .values({ key, windowStart: args.now, failures: 1 })
      .onConflictDoUpdate({
        target: t.key,
        set: {
          failures: sql`case when ${t.windowStart} <= ${windowOpenedAfter.toISOString()}::timestamptz then 1 else ${t.failures} + 1 end`,
          windowStart: sql`case when ${t.windowStart} <= ${windowOpenedAfter.toISOString()}::timestamptz then ${args.now.toISOString()}::timestamptz else ${t.windowStart} end`,
        },
      })
      .returning({ failures: t.failures });
    if (key.startsWith('account:') && row!.failures > policy.accountFreeFailures) {
      const delaySeconds = Math.min(2 ** (row!.failures - policy.accountFreeFailures - 1), policy.accountMaxDelaySeconds);
      await db.update(t).set({ nextAllowedAt: new Date(args.now.getTime() + delaySeconds * 1000) }).where(eq(t.key, key));
    }
  }
}

/** A successful login clears the account's count (not the address's: one good login must not reset an attacker's budget). */
export async function recordLoginSuccess(db: Database, args: { email: string }): Promise<void> {
  await db.delete(tables.loginThrottle).where(eq(tables.loginThrottle.key, accountKey(args.email)));
}

/** Drops windows that ended long ago; called by the background work. */
export async function pruneLoginThrottle(db: Database, args: { now: Date; policy?: ThrottlePolicy }): Promise<void> {
  const policy = args.policy ?? DEFAULT_THROTTLE;
  const t = tables.loginThrottle;
  const loginCutoff = new Date(args.now.getTime() - 2 * policy.windowMs).toISOString();
  const attemptCutoff = new Date(args.now.getTime() - 2 * ATTEMPT_MAX_WINDOW_MS).toISOString();
  // attempt counters (subscriptions) keep longer windows than logins
  await db.delete(t).where(
    sql`(${t.key} not like ${`${ATTEMPT_KEY_PREFIX}%`} and ${t.windowStart} < ${loginCutoff}::timestamptz) or ${t.windowStart} < ${attemptCutoff}::timestamptz`,
  );
}
