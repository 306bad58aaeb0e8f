import { describe, expect, it } from 'vitest';
import { evaluateQuorum, type RegionReading } from './evaluate-quorum.ts';

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
