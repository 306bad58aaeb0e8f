import { describe, expect, it } from 'vitest';
import { judgeRegionHealth, type LatestResultRow } from './judge-region-health.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const row = (regionId: string, componentId: string, outcome: LatestResultRow['outcome'], secondsAgo = 10): LatestResultRow => ({
  regionId,
  componentId,
  checkId: 'https',
  outcome,
  startedAt: new Date(NOW.getTime() - secondsAgo * 1000),
  freshForMs: 130_000,
});

describe('judgeRegionHealth', () => {
  it('flags a probe whose every check fails while other regions see them up', () => {
    const latest = [row('north', 'a', 'down'), row('north', 'b', 'down'), row('south', 'a', 'up'), row('south', 'b', 'up')];
    const health = judgeRegionHealth({ regionIds: ['north', 'south'], latest, now: NOW });
    expect(health.map((h) => [h.regionId, h.status, h.failingResults])).toEqual([
      ['north', 'unhealthy', 2],
      ['south', 'healthy', 0],
    ]);
  });

  it('does not blame the probe when everyone sees the outage', () => {
    const latest = [row('north', 'a', 'down'), row('south', 'a', 'down')];
    expect(judgeRegionHealth({ regionIds: ['north', 'south'], latest, now: NOW }).map((h) => h.status)).toEqual(['healthy', 'healthy']);
  });

  it('does not blame a probe with one failing check among good ones', () => {
    const latest = [row('north', 'a', 'down'), row('north', 'b', 'up'), row('south', 'a', 'up')];
    expect(judgeRegionHealth({ regionIds: ['north'], latest, now: NOW })[0]!.status).toBe('healthy');
  });

  it('tells a silent region from one that never reported', () => {
    const health = judgeRegionHealth({ regionIds: ['north', 'west'], latest: [row('north', 'a', 'up', 600)], now: NOW });
    expect(health.map((h) => [h.regionId, h.status, h.lastResultAt?.toISOString() ?? null])).toEqual([
      ['north', 'silent', '2026-11-21T11:50:00.000Z'],
      ['west', 'never', null],
    ]);
  });
});
