import { describe, expect, it } from 'vitest';
import { CheckResult } from './contract.ts';
import { withResultDeadline } from './result-deadline.ts';

const target = { componentId: 'c', checkId: 'k', regionId: 'r' };

describe('withResultDeadline', () => {
  it('gives up on a check that never ends, with an unknown probe_error result', async () => {
    const t0 = performance.now();
    const result = await withResultDeadline(() => new Promise<CheckResult>(() => {}), { target, timeoutMs: 100, graceMs: 50 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(CheckResult.safeParse(result).error).toBeUndefined();
    expect(result).toMatchObject({ ...target, outcome: 'unknown', reason: 'probe_error', message: 'the check did not end within its timeout of 100 ms and 50 ms more; the probe stopped waiting for it' });
  });

  it("passes a check's own result through when it comes in time", async () => {
    const own: CheckResult = { id: crypto.randomUUID(), ...target, startedAt: new Date().toISOString(), outcome: 'down', reason: 'timeout', durationMs: 100 };
    expect(await withResultDeadline(async () => own, { target, timeoutMs: 100, graceMs: 50 })).toBe(own);
  });
});
