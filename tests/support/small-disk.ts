import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SmallDisk = {
  dir: string;
  /** Fills the file system to the last byte with a filler file. */
  fill: () => void;
  /** Deletes the filler: the disk has room again. */
  free: () => void;
  unmount: () => void;
};

/**
 * A real, tiny file system (tmpfs) for full-disk tests. Needs the right to
 * mount (root in a container); `undefined` where that is not allowed, so the
 * test can say it was skipped rather than pretend.
 */
export function mountSmallDisk(sizeKb = 256): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const chunk = Buffer.alloc(4096, 120);
      for (;;) {
        try {
          appendFileSync(filler, chunk);
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOSPC') break;
          throw error;
        }
      }
      // the last pages: a few bytes at a time until not even one fits
      for (let size = 2048; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (;;) appendFileSync(filler, Buffer.alloc(size, 120));
        } catch {
          // next smaller size
        }
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
