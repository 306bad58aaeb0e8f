import { performance } from 'node:perf_hooks';
import type { CheckResult } from './contract.ts';
import type { CheckTarget } from './https-check.ts';

/** How long past its own timeout a check may take before the probe stops waiting for it. */
export const RESULT_GRACE_MS = 5_000;

/**
 * The last line of defence behind each check's own deadline: if a check has
 * not produced its result `timeoutMs + graceMs` after it started (a client
 * that ignores its abort signal, a bug), the probe stops waiting and sends an
 * `unknown` result (`probe_error`) instead, so the component never silently
 * keeps its last state. The check's own result, should it come later, is dropped.
 */
export async function withResultDeadline(
  run: () => Promise<CheckResult>,
  args: { target: CheckTarget; timeoutMs: number; graceMs?: number; now?: () => Date },
): Promise<CheckResult> {
  const graceMs = args.graceMs ?? RESULT_GRACE_MS;
  const startedAt = (args.now ?? (() => new Date()))();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          id: crypto.randomUUID(),
          ...args.target,
          startedAt: startedAt.toISOString(),
          outcome: 'unknown',
          reason: 'probe_error',
          durationMs: performance.now() - t0,
          message: `the check did not end within its timeout of ${args.timeoutMs} ms and ${graceMs} ms more; the probe stopped waiting for it`,
        }),
      args.timeoutMs + graceMs,
    );
  });
  try {
    return await Promise.race([run(), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
