import { describe, expect, it } from 'vitest';
import { repeatRound } from './repeat-round.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('repeatRound', () => {
  it('never overlaps or queues rounds when a round is slower than the interval, and stop waits only for the one in progress', async () => {
    let active = 0;
    let mostActive = 0;
    let rounds = 0;
    const repeating = repeatRound(
      async () => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        await sleep(60);
        active -= 1;
        rounds += 1;
      },
      5,
      () => undefined,
    );
    await sleep(400);
    const stopStartedAt = Date.now();
    await repeating.stop();
    const stopMs = Date.now() - stopStartedAt;
    expect(mostActive).toBe(1);
    // 400 ms of 60 ms rounds with 5 ms between them: about six, never the eighty an interval would have queued
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(rounds).toBeLessThanOrEqual(7);
    expect(stopMs).toBeLessThan(60 + 40);
    const afterStop = rounds;
    await sleep(100);
    expect(rounds).toBe(afterStop);
  });

  it('flush runs one more round after the one in progress and passes on its failure; a failing round does not stop the next', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    let failNext = true;
    const repeating = repeatRound(
      async () => {
        calls += 1;
        if (failNext) {
          failNext = false;
          throw new Error(`round ${calls} failed`);
        }
      },
      20,
      (err) => errors.push(err),
    );
    while (calls < 2) await sleep(5);
    expect((errors[0] as Error).message).toBe('round 1 failed');
    failNext = true;
    const before = calls;
    await expect(repeating.flush()).rejects.toThrow(/failed/);
    expect(calls).toBe(before + 1);
    await repeating.stop();
    expect(errors).toHaveLength(1);
  });
});
