import { describe, expect, it } from 'vitest';
import { mergeStates } from './merge-states.ts';

describe('mergeStates', () => {
  it('is down while any member is down, unknown while any is unmeasured, else the worst', () => {
    const a = [{ state: 'up' as const, start: 0, end: 100 }];
    const b = [
      { state: 'up' as const, start: 0, end: 20 },
      { state: 'degraded' as const, start: 20, end: 40 },
      { state: 'down' as const, start: 40, end: 50 },
      // nothing stored for 50–60
      { state: 'up' as const, start: 60, end: 100 },
    ];
    expect(mergeStates([a, b], { start: 0, end: 100 })).toEqual([
      { state: 'up', start: 0, end: 20 },
      { state: 'degraded', start: 20, end: 40 },
      { state: 'down', start: 40, end: 50 },
      { state: 'unknown', start: 50, end: 60 },
      { state: 'up', start: 60, end: 100 },
    ]);
  });
});
