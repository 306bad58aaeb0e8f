import type { Logger } from 'pino';
import { describeChanges, diffConfig, formatConfigIssues, loadConfigFile, type ConfigReloadOutcome, type StatusvaktConfig } from '../config/index.ts';
import { syncConfig, type Database } from '../db/index.ts';

/**
 * Reloads the config file into a running server: the file is read and checked
 * exactly as at start; a file with a mistake is refused and the running config
 * stays. A good one is written to the database in one transaction (syncConfig),
 * which changes the probes' assignment and so its ETag, and `apply` hands it
 * to the parts of this process that hold config (the in-process probe, host
 * names). Reloads run one at a time, in the order asked.
 */
export function createConfigReloader(args: { db: Database; configFile: string; initial: StatusvaktConfig; now: () => Date; logger: Logger; apply: (config: StatusvaktConfig) => Promise<void> }) {
  let running = args.initial;
  let queue: Promise<unknown> = Promise.resolve();
  const reloadOnce = async (): Promise<ConfigReloadOutcome> => {
    const loaded = await loadConfigFile(args.configFile);
    if (!loaded.ok) {
      const message = `${formatConfigIssues(args.configFile, loaded.issues)}\nthe configuration was not reloaded: fix the mistakes above and reload again; the running configuration stays`;
      args.logger.warn({ config: args.configFile, issues: loaded.issues }, 'configuration reload refused: the file has mistakes; the running configuration stays');
      return { ok: false, file: args.configFile, issues: loaded.issues, message };
    }
    const changes = diffConfig(running, loaded.config);
    await syncConfig(args.db, loaded.config, args.now());
    running = loaded.config;
    await args.apply(loaded.config);
    const summary = describeChanges(changes);
    args.logger.info({ config: args.configFile, changes }, `configuration reloaded: ${summary}`);
    return { ok: true, file: args.configFile, changes, summary };
  };
  return {
    /** The config in force now. */
    current: () => running,
    reload: (): Promise<ConfigReloadOutcome> => {
      const next = queue.then(reloadOnce, reloadOnce);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
