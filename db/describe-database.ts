import { resolve } from 'node:path';

/**
 * Names the database a process will use, for the first line a command prints:
 * "PGlite in /srv/statusvakt/data" or "PostgreSQL at statusvakt@db:5432/statusvakt".
 * The password never appears; the data folder is absolute, so a relative
 * STATUSVAKT_DATA_DIR (or none) cannot silently point somewhere else.
 *
 * @example describeDatabase({ dataDir: './data' }) // "PGlite in /home/ops/data"
 */
export function describeDatabase(options: { databaseUrl?: string | undefined; dataDir: string; cwd?: string }): string {
  if (!options.databaseUrl) return `PGlite in ${resolve(options.cwd ?? process.cwd(), options.dataDir)}`;
  const url = new URL(options.databaseUrl);
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  const port = url.port || '5432';
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  return `PostgreSQL at ${user}${url.hostname}:${port}/${name}`;
}
