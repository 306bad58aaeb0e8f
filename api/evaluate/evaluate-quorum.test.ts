import { describe, expect, it } from 'vitest';
import { evaluateQuorum, quorumMinimum, type RegionReading } from './evaluate-quorum.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const FRESH_MS = 130_000; // 2 × 60 s + 10 s timeout

/** `secondsAgo` defaults to 30: a fresh reading. */
function reading(regionId: string, outcome: RegionReading['outcome'], secondsAgo = 30): RegionReading {
  return { regionId, outcome, observedAt: new Date(NOW.getTime() - secondsAgo * 1000), freshForMs: FRESH_MS };
}

describe('evaluateQuorum', () => {
  const table: { name: string; readings: RegionReading[]; state: string; dissenting: string[] }[] = [
    { name: 'no readings at all', readings: [], state: 'unknown', dissenting: [] },
    { name: 'all regions up', readings: [reading('a', 'up'), reading('b', 'up'), reading('c', 'up')], state: 'up', dissenting: [] },
    { name: '1 of 3 down is a regional problem', readings: [reading('a', 'down'), reading('b', 'up'), reading('c', 'up')], state: 'up', dissenting: ['a'] },
    { name: '2 of 3 down is an outage', readings: [reading('a', 'down'), reading('b', 'down'), reading('c', 'up')], state: 'down', dissenting: ['c'] },
    { name: '3 of 3 down', readings: [reading('a', 'down'), reading('b', 'down'), reading('c', 'down')], state: 'down', dissenting: [] },
    { name: '1 of 2 down is not a majority', readings: [reading('a', 'down'), reading('b', 'up')], state: 'up', dissenting: ['a'] },
    { name: 'one region alone decides', readings: [reading('a', 'down')], state: 'down', dissenting: [] },
    { name: 'down + degraded + up: a majority is at least degraded', readings: [reading('a', 'down'), reading('b', 'degraded'), reading('c', 'up')], state: 'degraded', dissenting: ['a', 'c'] },
    { name: '2 of 3 degraded', readings: [reading('a', 'degraded'), reading('b', 'degraded'), reading('c', 'up')], state: 'degraded', dissenting: ['c'] },
    {
      name: 'a stale region does not vote: 1 fresh down of 2 fresh',
      readings: [reading('a', 'down'), reading('b', 'up'), reading('c', 'up', 600)],
      state: 'up',
      dissenting: ['a'],
    },
    {
      name: 'a stale region does not vote: the remaining two both down',
      readings: [reading('a', 'down'), reading('b', 'down'), reading('c', 'up', 600)],
      state: 'down',
      dissenting: [],
    },
    { name: 'every region stale', readings: [reading('a', 'up', 600), reading('b', 'down', 131)], state: 'unknown', dissenting: [] },
    { name: 'just inside the freshness limit counts', readings: [reading('a', 'down', 129.999)], state: 'down', dissenting: [] },
    { name: 'exactly at the freshness limit is stale (half-open)', readings: [reading('a', 'down', 130)], state: 'unknown', dissenting: [] },
  ];

  it.each(table)('$name → $state', ({ readings, state, dissenting }) => {
    const verdict = evaluateQuorum(readings, NOW);
    expect(verdict.state).toBe(state);
    expect(verdict.dissentingRegions.sort()).toEqual(dissenting);
  });

  const quorumTable: { name: string; readings: RegionReading[]; min: number; state: string; fresh: number }[] = [
    { name: '3 fresh of 3 with a minimum of 2', readings: [reading('a', 'down'), reading('b', 'down'), reading('c', 'up')], min: 2, state: 'down', fresh: 3 },
    { name: '2 fresh (the rest stale) meet a minimum of 2', readings: [reading('a', 'up'), reading('b', 'up'), reading('c', 'down', 600)], min: 2, state: 'up', fresh: 2 },
    { name: 'the last region answering does not decide alone', readings: [reading('a', 'up'), reading('b', 'down', 600), reading('c', 'down', 600)], min: 2, state: 'unknown', fresh: 1 },
    { name: 'one region alone is not a quorum of 2, even when down', readings: [reading('a', 'down')], min: 2, state: 'unknown', fresh: 1 },
    { name: 'a minimum of 1 keeps the old rule', readings: [reading('a', 'up'), reading('b', 'down', 600)], min: 1, state: 'up', fresh: 1 },
    { name: 'exactly the minimum suffices', readings: [reading('a', 'down'), reading('b', 'down'), reading('c', 'up', 600)], min: 2, state: 'down', fresh: 2 },
    { name: 'a minimum of 3 of 3 with one just stale (half-open)', readings: [reading('a', 'up'), reading('b', 'up'), reading('c', 'up', 130)], min: 3, state: 'unknown', fresh: 2 },
  ];

  it.each(quorumTable)('quorum: $name → $state', ({ readings, min, state, fresh }) => {
    const verdict = evaluateQuorum(readings, NOW, { minFreshRegions: min });
    expect(verdict.state).toBe(state);
    expect(verdict.freshRegions).toBe(fresh);
  });

  it('dates an unknown for want of a quorum at the moment the last needed reading went stale', () => {
    const verdict = evaluateQuorum([reading('a', 'up', 10), reading('b', 'down', 200), reading('c', 'down', 300)], NOW, { minFreshRegions: 2 });
    expect(verdict.evidenceAt).toEqual(new Date(NOW.getTime() - 200_000 + FRESH_MS));
    // never a second region: unknown since the first reading
    expect(evaluateQuorum([reading('a', 'up', 10)], NOW, { minFreshRegions: 2 }).evidenceAt).toEqual(new Date(NOW.getTime() - 10_000));
  });

  it.each([
    // regions running the component's checks, configured minimum, minimum used
    [1, undefined, 1],
    [2, undefined, 2],
    [3, undefined, 2],
    [4, undefined, 3],
    [5, undefined, 3],
    [3, 1, 1],
    [3, 3, 3],
    [2, 3, 2], // capped: a minimum above the regions could never be met
    [0, undefined, 1],
  ])('quorumMinimum: %i regions, configured %s → %i', (regions, configured, expected) => {
    expect(quorumMinimum({ regions, configured })).toBe(expected);
  });

  it('dates a state by its evidence: the newest agreeing reading, or the moment the last reading went stale', () => {
    const down = evaluateQuorum([reading('a', 'down', 50), reading('b', 'down', 20), reading('c', 'up', 5)], NOW);
    expect(down.evidenceAt).toEqual(new Date(NOW.getTime() - 20_000));
    const stale = evaluateQuorum([reading('a', 'up', 600), reading('b', 'up', 200)], NOW);
    expect(stale.evidenceAt).toEqual(new Date(NOW.getTime() - 200_000 + FRESH_MS));
    expect(evaluateQuorum([], NOW).evidenceAt).toBeUndefined();
  });

  it('follows a flapping region without changing the verdict', () => {
    const states = [0, 1, 2, 3].map((i) => evaluateQuorum([reading('a', i % 2 ? 'down' : 'up'), reading('b', 'up'), reading('c', 'up')], NOW).state);
    expect(states).toEqual(['up', 'up', 'up', 'up']);
  });
});
