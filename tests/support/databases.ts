import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStatements } from './pg-admin.ts';
import { openDatabase, type DatabaseHandle } from '../../db/index.ts';

/**
 * The PostgreSQL server tests may use: TEST_DATABASE_URL, else DATABASE_URL.
 * Each suite creates (and drops) a database of its own on it, so runs never collide.
 */
export const postgresAdminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

export type TestDatabase = { name: 'pglite' | 'postgres'; handle: DatabaseHandle; url: string | undefined; dataDir: string | undefined; drop: () => Promise<void> };

/** The drivers to run database suites on: PGlite always, PostgreSQL when a server is configured. */
export const DRIVERS: readonly ('pglite' | 'postgres')[] = postgresAdminUrl ? ['pglite', 'postgres'] : ['pglite'];

export async function createTestDatabase(driver: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'statusvakt-test-'));
    // a copy of a folder made and migrated once opens in a fraction of initdb's time (0.6 s against 3.6 s)
    cpSync(await migratedPgliteTemplate(), dataDir, { recursive: true });
    const handle = await openDatabase({ dataDir });
    return {
      name: 'pglite',
      handle,
      url: undefined,
      dataDir,
      drop: async () => {
        await handle.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!postgresAdminUrl) throw new Error('no PostgreSQL configured: set TEST_DATABASE_URL or DATABASE_URL');
  const { url, drop } = await createPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: url, dataDir: '' });
  return {
    name: 'postgres',
    handle,
    url,
    dataDir: undefined,
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}

/** A new, empty database on the test PostgreSQL server. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresAdminUrl) throw new Error('no PostgreSQL configured');
  const name = `statusvakt_test_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  await runStatements(postgresAdminUrl, [`create database "${name}"`]);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await runStatements(postgresAdminUrl!, [`drop database if exists "${name}" with (force)`]);
    },
  };
}

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/**
 * A PGlite folder created and migrated once per set of migrations (named by
 * their hash, so a new or changed migration makes a new one), closed cleanly.
 * Suites copy it rather than each running initdb. Workers that race to make
 * it each build their own and rename it into place; the first rename wins.
 */
async function migratedPgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS, { recursive: true }).map(String).sort()) {
    const path = join(MIGRATIONS, name);
    if (statSync(path).isFile()) hash.update(name).update(readFileSync(path));
  }
  const template = join(tmpdir(), `statusvakt-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(template)) return template;
  const building = mkdtempSync(join(tmpdir(), 'statusvakt-pglite-building-'));
  const handle = await openDatabase({ dataDir: building });
  await handle.close();
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another worker's is in place
  }
  return template;
}

/**
 * For a CLI run on the embedded database in a folder that does not exist yet
 * (or is empty): the folder is made a copy of the migrated template first,
 * as if an earlier run had created it, which saves each suite initdb's
 * seconds. Suites that test creating a folder say `seed: false`.
 */
export async function seedPgliteFolder(env: Record<string, string | undefined>): Promise<void> {
  const dataDir = env.STATUSVAKT_DATA_DIR;
  const databaseUrl = 'DATABASE_URL' in env ? env.DATABASE_URL : process.env.DATABASE_URL;
  if (!dataDir || databaseUrl) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return;
  try {
    cpSync(await migratedPgliteTemplate(), dataDir, { recursive: true });
  } catch {
    // a folder the test made unusable on purpose: the CLI meets it as it is
  }
}
