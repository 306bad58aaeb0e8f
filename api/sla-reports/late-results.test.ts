import { describe, expect, it } from 'vitest';
import type { AvailabilityFigures } from '../sla/index.ts';
import { describeLateResults, lateRevisionDue, type LateArrivals } from './late-results.ts';

const HOUR_MS = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const arrivals = (count: number, first: string, last = first): LateArrivals => ({ count, firstReceivedAt: at(first), lastReceivedAt: at(last) });

describe('lateRevisionDue: late results wait out the grace after the newest of them', () => {
  it.each([
    { name: 'no late results', late: undefined, now: '2026-04-20T00:00:00Z', graceHours: 48, due: false },
    { name: 'none counted', late: arrivals(0, '2026-04-10T10:00:00Z'), now: '2026-04-20T00:00:00Z', graceHours: 48, due: false },
    { name: 'one second short of 48 h', late: arrivals(3, '2026-04-10T10:00:00Z'), now: '2026-04-12T09:59:59Z', graceHours: 48, due: false },
    { name: 'exactly 48 h', late: arrivals(3, '2026-04-10T10:00:00Z'), now: '2026-04-12T10:00:00Z', graceHours: 48, due: true },
    { name: 'the newest decides, not the first', late: arrivals(900, '2026-04-08T10:00:00Z', '2026-04-11T10:00:00Z'), now: '2026-04-12T10:00:00Z', graceHours: 48, due: false },
    { name: 'a grace of 0: at once', late: arrivals(1, '2026-04-10T10:00:00Z'), now: '2026-04-10T10:00:00Z', graceHours: 0, due: true },
    { name: 'a fractional grace (1.5 h)', late: arrivals(1, '2026-04-10T10:00:00Z'), now: new Date(at('2026-04-10T10:00:00Z') + 1.5 * HOUR_MS).toISOString(), graceHours: 1.5, due: true },
    { name: 'across the DST change (UTC hours count)', late: arrivals(1, '2026-03-28T23:30:00Z'), now: '2026-03-30T23:29:59Z', graceHours: 48, due: false },
  ])('$name → $due', ({ late, now, graceHours, due }) => {
    expect(lateRevisionDue({ arrivals: late, now: at(now), graceHours })).toBe(due);
  });
});

const figures = (over: Partial<AvailabilityFigures>): AvailabilityFigures => ({
  potentialSeconds: 0,
  availableSeconds: 0,
  downSeconds: 0,
  coveredSeconds: 2_674_800,
  windowSeconds: 0,
  overrunSeconds: 0,
  excludedSeconds: 0,
  excludedSecondsByReason: {},
  degradedSeconds: 0,
  unmeasuredSeconds: 2_674_800,
  availability: null,
  target: 0.999,
  met: null,
  errorBudgetSeconds: 0,
  errorBudgetLeftSeconds: 0,
  ...over,
});

describe('describeLateResults: the reason names what arrived and what it changed', () => {
  it.each([
    {
      name: 'a month frozen with nothing measured, then a backlog',
      late: arrivals(1234, '2026-11-20T08:00:00Z', '2026-11-20T08:04:10Z'),
      before: figures({}),
      after: figures({ potentialSeconds: 2_674_800, downSeconds: 600, unmeasuredSeconds: 0 }),
      says: 'late results: 1234 results measured in 2026-10, received 2026-11-20T08:00:00.000Z to 2026-11-20T08:04:10.000Z, after the statement was made; potential 0 s → 2674800 s, down 0 s → 600 s, unmeasured 2674800 s → 0 s',
    },
    {
      name: 'one result, one instant',
      late: arrivals(1, '2026-11-20T08:00:00Z'),
      before: figures({ potentialSeconds: 100.4, unmeasuredSeconds: 10 }),
      after: figures({ potentialSeconds: 160.6, unmeasuredSeconds: 0 }),
      says: 'late results: 1 result measured in 2026-10, received 2026-11-20T08:00:00.000Z, after the statement was made; potential 100 s → 161 s, down 0 s → 0 s, unmeasured 10 s → 0 s',
    },
  ])('$name', ({ late, before, after, says }) => {
    expect(describeLateResults({ monthKey: '2026-10', arrivals: late, before, after })).toBe(says);
  });
});
