import { describe, expect, it } from 'vitest';
import { buildTimeline, type TimelineResult } from './build-timeline.ts';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const r = (regionId: string, outcome: TimelineResult['outcome'], seconds: number, checkId = 'https'): TimelineResult => ({ checkId, regionId, outcome, startedAt: at(seconds) });
const FRESH = new Map([['https', 130_000]]); // 60 s interval: 2 × 60 s + 10 s
const show = (intervals: { state: string; startedAt: Date }[]) => intervals.map((i) => `${(i.startedAt.getTime() - T0) / 1000}:${i.state}`);

/** Three regions each reporting every 60 s. */
function everyMinute(outcomes: Record<string, (minute: number) => TimelineResult['outcome']>, minutes: number): TimelineResult[] {
  return Object.entries(outcomes).flatMap(([region, outcome], offset) => Array.from({ length: minutes }, (_, m) => r(region, outcome(m), m * 60 + offset)));
}

describe('buildTimeline', () => {
  it('1 of 3 regions down is no outage', () => {
    const results = everyMinute({ a: () => 'down', b: () => 'up', c: () => 'up' }, 5);
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(300) }))).toEqual(['0:down', '1:up']);
  });

  it('2 of 3 regions down is an outage from the result that made the majority', () => {
    const results = everyMinute({ a: (m) => (m >= 2 ? 'down' : 'up'), b: (m) => (m >= 2 ? 'down' : 'up'), c: () => 'up' }, 5);
    // minute 2: a down at 120 s, b down at 121 s → majority from 121 s
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(300) }))).toEqual(['0:up', '121:down']);
  });

  it('a region going stale stops voting; all stale is unknown', () => {
    const results = [...everyMinute({ a: () => 'up', b: () => 'up' }, 2), r('c', 'down', 0)];
    // at 0 s: a up, c down — 1 of 2 is no majority; c goes stale at 131 s; a and b last
    // report at 60 and 61 s and go stale at 190 and 191 s
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(400) }))).toEqual(['0:up', '191:unknown']);
    // c alone votes down at first; once a reports at 5 s, 1 down of 2 is no majority
    const early = [r('c', 'down', 0), r('a', 'up', 5), r('b', 'up', 6)];
    expect(show(buildTimeline({ results: early, freshForMs: FRESH, from: at(0), until: at(10) }))).toEqual(['0:down', '5:up']);
  });

  it('when the regions that see a fault fall silent one by one, the last one answering does not decide alone', () => {
    // a and b see the fault (down) and stop reporting after minute 1; c, which sees up, keeps reporting
    const results = everyMinute({ a: (m) => (m < 2 ? 'down' : 'up'), b: (m) => (m < 2 ? 'down' : 'up'), c: () => 'up' }, 6).filter((x) => x.regionId === 'c' || x.startedAt < at(120));
    // a alone at 0 s is no quorum; a's last result (60 s) goes stale at 190 s (b down and c up: no majority,
    // so up), b's (61 s) at 191 s: c alone is no quorum of 2
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(360), minFreshRegions: 2 }))).toEqual(['0:unknown', '1:down', '190:up', '191:unknown']);
    // with a quorum of one (the old rule) c alone turned the component up
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(360), minFreshRegions: 1 }))).toEqual(['0:down', '190:up']);
  });

  it('a flapping region does not flap the component', () => {
    const results = everyMinute({ a: (m) => (m % 2 ? 'down' : 'up'), b: () => 'up', c: () => 'up' }, 10);
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(600) }))).toEqual(['0:up']);
  });

  it('gives the same timeline whatever order the results arrive in', () => {
    const results = everyMinute({ a: (m) => (m >= 3 && m < 6 ? 'down' : 'up'), b: (m) => (m >= 3 && m < 7 ? 'down' : 'up'), c: () => 'up' }, 10);
    const inOrder = buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(600) });
    const shuffled = [...results].reverse();
    expect(buildTimeline({ results: shuffled, freshForMs: FRESH, from: at(0), until: at(600) })).toEqual(inOrder);
    expect(show(inOrder)).toEqual(['0:up', '181:down', '360:up']);
  });

  it('starts at `from`, using results before it that are still fresh', () => {
    const results = everyMinute({ a: () => 'down', b: () => 'down', c: () => 'up' }, 5);
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(150), until: at(300) }))).toEqual(['150:down']);
  });

  it('takes the worst check of a region, each judged fresh by its own interval', () => {
    const fresh = new Map([['https', 130_000], ['slow', 610_000]]);
    const results = [r('a', 'up', 0), r('a', 'degraded', 0, 'slow'), r('a', 'up', 60), r('a', 'up', 120)];
    // after 250 s only the slow check is fresh, and it still says degraded; at 610 s nothing is fresh
    expect(show(buildTimeline({ results, freshForMs: fresh, from: at(0), until: at(700) }))).toEqual(['0:degraded', '610:unknown']);
  });

  it('lets a result that could not tell (unknown: no data, throttled) not vote', () => {
    const results = [r('a', 'down', 0), r('b', 'down', 0), r('c', 'up', 0), { ...r('b', 'up', 30), outcome: 'unknown' as const }];
    // at 30 s b's latest result is unknown: it does not vote, so a alone (down) against c (up) is no majority
    expect(show(buildTimeline({ results, freshForMs: FRESH, from: at(0), until: at(60) }))).toEqual(['0:down', '30:up']);
  });

  it('ignores results of checks it does not know (retired) and has no state before the first result', () => {
    expect(buildTimeline({ results: [r('a', 'down', 10, 'old')], freshForMs: FRESH, from: at(0), until: at(60) })).toEqual([]);
    expect(show(buildTimeline({ results: [r('a', 'up', 30)], freshForMs: FRESH, from: at(0), until: at(60) }))).toEqual(['30:up']);
  });
});
