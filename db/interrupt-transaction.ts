import { sql } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { rowsOf } from './rows-of.ts';

/** How a long transaction is given up: `signal` aborts it; on PostgreSQL, `outer` (the pool) also cancels the query it is running at that moment. */
export type Interrupt = { signal: AbortSignal; outer?: Database };

export type InterruptWatch = {
  /** Throws the signal's reason once it has aborted: called between a transaction's steps, so it rolls back. */
  check: () => void;
  /** Stops watching; waits for a cancel request already sent, so it can never reach the connection's next user. */
  release: () => Promise<void>;
};

/**
 * Watches `interrupt` for the transaction `tx`. Between queries, `check`
 * ends the work; with `outer` given (PostgreSQL), an abort also sends
 * `pg_cancel_backend` to the transaction's own backend, so a query of minutes
 * ends within moments instead of holding a shutdown past its deadline. The
 * query then fails, the transaction rolls back, and nothing it took is lost.
 * PGlite runs a query on this thread and cannot be interrupted within one.
 */
export async function watchInterrupt(tx: Database, interrupt: Interrupt | undefined): Promise<InterruptWatch> {
  if (!interrupt) return { check: () => {}, release: async () => {} };
  const { signal, outer } = interrupt;
  signal.throwIfAborted();
  if (!outer) return { check: () => signal.throwIfAborted(), release: async () => {} };
  const backendPid = Number(rowsOf<{ pid: number | string }>(await tx.execute(sql`select pg_backend_pid() as pid`))[0]!.pid);
  let cancelling: Promise<unknown> | undefined;
  // a failed cancel (the pool closing too) leaves the query to finish; the next check still ends the transaction
  const onAbort = () => (cancelling = outer.execute(sql`select pg_cancel_backend(${backendPid})`).catch(() => undefined));
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    check: () => signal.throwIfAborted(),
    release: async () => {
      signal.removeEventListener('abort', onAbort);
      await cancelling;
    },
  };
}
