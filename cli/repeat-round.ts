/**
 * Runs `round` now and then again `everyMs` after each one ends, so a round
 * slower than the interval (a busy machine, a backlog) never queues more
 * rounds behind it. A failing round is reported and the next one still runs.
 */
export function repeatRound(round: () => Promise<void>, everyMs: number, onError: (err: unknown) => void) {
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const runOnce = (): Promise<void> => (running ??= round().finally(() => (running = undefined)));
  const loop = async () => {
    await runOnce().catch(onError);
    if (!stopped) timer = setTimeout(() => void loop(), everyMs);
  };
  void loop();
  return {
    /** Waits for the round in progress, then runs one more; its failure is the caller's. */
    flush: async () => {
      await running?.catch(() => undefined);
      await runOnce();
    },
    /** No round starts after this; waits for the one in progress. */
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
