import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/**
 * An exclusive lock on a PGlite data folder. PGlite has no shared memory or
 * postmaster: two processes on one folder would each write their own WAL and
 * silently lose rows, so a second opener must fail instead.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A file left
 * by a process that no longer runs (a crash, kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): { release: () => void } {
  const file = join(dataDir, 'statusvakt.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
        throw new DataDirLockedError(
          `the data folder ${dataDir} is in use by another Statusvakt process (pid ${owner}); stop it first, ` +
            'or give this one its own folder with STATUSVAKT_DATA_DIR, or use PostgreSQL (DATABASE_URL) to run several processes',
        );
      }
      if (owner === process.pid) {
        throw new DataDirLockedError(`the data folder ${dataDir} is already open in this process; open it once and share the handle`);
      }
      unlinkSync(file); // stale lock of a process that is gone
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}: another process keeps creating ${file}`);
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
