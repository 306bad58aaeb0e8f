import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf } from '../db/index.ts';

// `start` and `serve` create a new embedded database in a child process, so what initdb takes is not kept by the server
describe('a new PGlite folder created apart', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-apart-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is migrated, usable, and opens again as any folder does', async () => {
    const dataDir = newDir();
    const first = await openDatabase({ dataDir, createApart: true });
    expect(await first.isReady()).toBe(true);
    await first.db.execute(sql`insert into organisations (id, name) values ('kommune', 'Kommune')`);
    await first.close();

    const again = await openDatabase({ dataDir, createApart: true }); // exists now: opened in this process, nothing created
    expect(await again.isReady()).toBe(true);
    expect(rowsOf<{ name: string }>(await again.db.execute(sql`select name from organisations`))).toEqual([{ name: 'Kommune' }]);
    await again.close();
  }, 120_000);

  it('says which folder could not be made into a database, and why, and releases it', async () => {
    const dataDir = newDir();
    writeFileSync(join(dataDir, 'base'), 'not a folder'); // initdb must make base/ here
    await expect(openDatabase({ dataDir, createApart: true })).rejects.toThrow(
      new RegExp(`creating the embedded database in ${dataDir} failed: .*the folder must be empty or hold a Statusvakt database`),
    );
    rmSync(join(dataDir, 'base'));
    rmSync(join(dataDir, 'pg_wal'), { recursive: true, force: true });
    const retried = await openDatabase({ dataDir, createApart: true }); // the lock was let go
    expect(await retried.isReady()).toBe(true);
    await retried.close();
  }, 120_000);
});
