import { sql } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { rowsOf } from './rows-of.ts';

/**
 * Tables rewritten all the time (a row per check and region updated with
 * each result, marks inserted and deleted each second, messages and sessions
 * that come and go): vacuumed so their dead rows do not pile up. Each is
 * small, so vacuuming it takes milliseconds.
 */
const CHURNING_TABLES = ['latest_results', 'evaluation_marks', 'outbox_messages', 'notification_events', 'login_throttle', 'sessions', 'component_status_overrides'];

/**
 * PGlite runs PostgreSQL without its background processes, so nothing ever
 * analyses or vacuums a table on its own (PostgreSQL's autovacuum does both).
 * Without statistics the planner takes every table for a handful of rows and
 * joins by nested loops: the automatic-incident query over 1,000 components
 * took 850 ms instead of 3.5 ms after ANALYZE (EXPLAIN ANALYZE, same data).
 * ANALYZE reads a bounded sample of each table, so its cost stays flat as
 * the results grow. Returns how long it took, all statements together.
 */
export async function maintainEmbedded(db: Database): Promise<{ tookMs: number }> {
  const startedAt = performance.now();
  for (const table of CHURNING_TABLES) await db.execute(sql.raw(`vacuum ${table}`));
  // the project's own tables, not the system catalogues a bare ANALYZE would read too
  const tables = rowsOf<{ name: string }>(await db.execute(sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`));
  // one table a statement: requests are answered between them (each query waits its turn on this thread)
  for (const table of tables) await db.execute(sql.raw(`analyze ${table.name}`));
  return { tookMs: Math.round(performance.now() - startedAt) };
}
