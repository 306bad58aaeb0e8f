import type { Logger } from 'pino';

/** How long a shutdown may take in all: an orchestrator's SIGKILL usually follows SIGTERM after 10–30 s. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Runs the steps of a shutdown in order, each whatever became of the ones
 * before (a database that is down fails the last evaluation round, but the
 * HTTP server must still close), all within one deadline. A step that fails
 * or is still running at the deadline is logged by name and left behind.
 * True when every step finished.
 */
export async function shutDown(steps: readonly (readonly [what: string, step: () => Promise<unknown>])[], logger: Logger, deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  let clean = true;
  for (const [what, step] of steps) {
    let timer: NodeJS.Timeout | undefined;
    // each step gets what is left of the whole, but at least a moment, so the ones after a slow step still run
    const leftMs = Math.max(deadline - Date.now(), 250);
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), leftMs)));
    try {
      const outcome = await Promise.race([Promise.resolve().then(step), late]);
      if (outcome === 'late') {
        clean = false;
        logger.warn({ step: what, waitedMs: leftMs }, `shutdown: ${what} did not finish in time; stopping without it`);
      }
    } catch (err) {
      clean = false;
      logger.warn({ step: what, error: err instanceof Error ? err.message : String(err) }, `shutdown: ${what} failed; going on`);
    } finally {
      clearTimeout(timer);
    }
  }
  return clean;
}
