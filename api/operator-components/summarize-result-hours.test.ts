import { describe, expect, it } from 'vitest';
import { summarizeResultHours, type ResultSample } from './summarize-result-hours.ts';

const at = (iso: string, outcome: ResultSample['outcome'], durationMs: number, reason: string | null = null): ResultSample => ({ startedAt: new Date(iso), regionId: 'north', outcome, reason, durationMs });

describe('summarizeResultHours', () => {
  it('lists every hour newest first, an hour without results as zero', () => {
    const hours = summarizeResultHours({ results: [at('2026-03-01T10:15:00Z', 'up', 120)], from: new Date('2026-03-01T09:30:00Z'), to: new Date('2026-03-01T11:30:00Z') });
    expect(hours.map((h) => [h.hourStart, h.results])).toEqual([
      ['2026-03-01T11:00:00.000Z', 0],
      ['2026-03-01T10:00:00.000Z', 1],
      ['2026-03-01T09:00:00.000Z', 0],
    ]);
    expect(hours[2]!.medianMs).toBeNull();
  });

  it('counts outcomes, takes the lower median and the slowest, and ranks reasons by frequency', () => {
    const [hour] = summarizeResultHours({
      results: [at('2026-03-01T10:00:00Z', 'up', 100), at('2026-03-01T10:10:00Z', 'down', 10_000, 'timeout'), at('2026-03-01T10:20:00Z', 'down', 300, 'http_status'), at('2026-03-01T10:30:00Z', 'down', 9_000, 'timeout')],
      from: new Date('2026-03-01T10:00:00Z'),
      to: new Date('2026-03-01T11:00:00Z'),
    });
    expect(hour).toEqual({
      hourStart: '2026-03-01T10:00:00.000Z',
      results: 4,
      counts: { up: 1, degraded: 0, down: 3, unknown: 0 },
      medianMs: 300,
      maxMs: 10_000,
      reasons: [{ reason: 'timeout', count: 2 }, { reason: 'http_status', count: 1 }],
    });
  });

  it('leaves out results before `from` and at or after `to` (half-open)', () => {
    const hours = summarizeResultHours({ results: [at('2026-03-01T09:59:59Z', 'down', 1), at('2026-03-01T10:00:00Z', 'up', 1), at('2026-03-01T10:45:00Z', 'down', 1)], from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T10:45:00Z') });
    expect(hours).toHaveLength(1);
    expect(hours[0]!.counts).toEqual({ up: 1, degraded: 0, down: 0, unknown: 0 });
  });
});
