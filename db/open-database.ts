import { mkdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { lockDataDir } from './pglite-lock.ts';
import { createPgliteApart, MIGRATIONS_FOLDER, openAndMigrate, pgliteExists } from './create-pglite.ts';
import type { PGlite } from '@electric-sql/pglite';
import { rowsOf } from './rows-of.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseHandle = {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** True when the database answers and every committed migration is applied. */
  isReady: () => Promise<boolean>;
  close: () => Promise<void>;
};

// Any constant works; it only has to be the same in every Statusvakt process.
const MIGRATION_LOCK_KEY = 0x5747_0001;

/**
 * Opens PostgreSQL when `databaseUrl` is given, else PGlite in `dataDir`,
 * and applies the committed migrations the same way on both.
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  onConnectionError?: (error: Error) => void;
  /** PGlite: create a new database in a child process (see createPgliteApart); for a process that runs for long. */
  createApart?: boolean;
}): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.onConnectionError ?? (() => {})) : openPglite(options.dataDir, options.createApart ?? false);
}

// A connection that cannot be made in this time fails the query (503 to a caller) instead of queueing it for ever.
const CONNECT_TIMEOUT_MS = 10_000;
const POOL_SIZE = 10;

async function openPostgres(url: string, onPoolError: (error: Error) => void): Promise<DatabaseHandle> {
  // Replicas may start together: one migrates while the others wait on the lock (held by this one session).
  const migrator = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await migrator.connect();
  try {
    await migrator.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: MIGRATIONS_FOLDER });
    await migrator.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  } finally {
    await migrator.end();
  }
  // node-postgres: a connection dropped while idle or in use is discarded from the pool and its
  // query rejected, so a database that goes away and comes back leaves no connection behind that hangs.
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, idleTimeoutMillis: 30_000 });
  // A connection the server drops is reported, never thrown: an idle one through the pool, one checked out
  // (inside a transaction, between its queries) through its own listener. Its queries fail, and the pool
  // discards it when it is released. Without these listeners the error would end the process.
  pool.on('error', onPoolError);
  pool.on('connect', (client) => client.on('error', onPoolError));
  const db = drizzlePostgres(pool, { schema, casing: 'snake_case' }) as unknown as Database;
  return { db, kind: 'postgres', isReady: () => migrationsApplied(db), close: () => pool.end() };
}

async function openPglite(dataDir: string, createApart: boolean): Promise<DatabaseHandle> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    const isNew = !pgliteExists(dataDir);
    if (isNew && createApart) await createPgliteApart(dataDir);
    const client = await openAndMigrate(dataDir);
    yieldBeforeEachQuery(client);
    const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Database;
    collectInitGarbage();
    return {
      db,
      kind: 'pglite',
      isReady: () => migrationsApplied(db),
      close: async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * PGlite runs each query on this thread and hands back its result without
 * passing through the event loop, so a page's queries, one after another,
 * would keep every waiting request out for the whole page (100–300 ms
 * measured while the snapshots were refreshed under load). Waiting for the
 * event loop before each query lets the requests that came meanwhile be
 * answered between two queries. The same goes for the queries inside a
 * transaction (the evaluator's round on 1,000 components held the thread for
 * 240 ms in one piece): the transaction keeps the database to itself while it
 * waits, so nothing else can run a query in between, but visitors are served
 * from kept pages and need none.
 */
function yieldBeforeEachQuery(client: PGlite): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const patch = <T extends Pick<PGlite, 'query' | 'exec'>>(target: T): T => {
    const query = target.query.bind(target);
    const exec = target.exec.bind(target);
    target.query = (async (...args: Parameters<typeof query>) => {
      await turn();
      return query(...args);
    }) as typeof target.query;
    target.exec = (async (...args: Parameters<typeof exec>) => {
      await turn();
      return exec(...args);
    }) as typeof target.exec;
    return target;
  };
  patch(client);
  const transaction = client.transaction.bind(client);
  client.transaction = (async <T>(callback: Parameters<typeof transaction<T>>[0]) => {
    await turn();
    return transaction<T>((tx) => callback(patch(tx)));
  }) as typeof client.transaction;
}

/**
 * Creating a new PGlite folder runs initdb in a WebAssembly instance of its own that is garbage
 * once the database is open: about 370 MB (measured) that V8 otherwise keeps resident until it
 * happens to collect, minutes later or never on an idle server. One full collection here gives it back.
 */
function collectInitGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function committedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

async function migrationsApplied(db: Database): Promise<boolean> {
  try {
    const rows = await db.execute<{ count: number }>(sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    const applied = Number(rowsOf<{ count: number }>(rows)[0]?.count ?? 0);
    return applied >= committedMigrationCount();
  } catch {
    return false;
  }
}
