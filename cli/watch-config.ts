import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` once the config file has been written and left alone for
 * `quietMs`. The folder is watched, not the file: editors and deploy tools
 * often write a new file and rename it over the old one, which a watch on the
 * file itself would lose.
 */
export function watchConfigFile(args: { file: string; onChange: () => void; quietMs?: number }): { stop: () => void } {
  const name = basename(args.file);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(args.file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(args.onChange, args.quietMs ?? 500);
  });
  return {
    stop: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
