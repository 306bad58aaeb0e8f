import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
