import { describe, expect, it } from 'vitest';
import { dayOfPartition, dayPartition, planPartitions } from './result-partitions.ts';

const at = (iso: string) => new Date(iso);

describe('raw-result day partitions', () => {
  it('names a UTC day and bounds it, whatever the hour', () => {
    expect(dayPartition(at('2026-12-07T23:59:59.999+00:00'))).toEqual({ name: 'check_results_d20261207', from: at('2026-12-07T00:00:00Z'), to: at('2026-12-08T00:00:00Z') });
    // 00:30 in Copenhagen is still the previous UTC day
    expect(dayPartition(at('2026-12-08T00:30:00+01:00')).name).toBe('check_results_d20261207');
    expect(dayOfPartition('check_results_d20261207')).toEqual(at('2026-12-07T00:00:00Z'));
    expect(dayOfPartition('check_results_default')).toBeUndefined();
    expect(dayOfPartition('latency_hours')).toBeUndefined();
  });

  it('plans yesterday to three days ahead on an empty table', () => {
    const plan = planPartitions({ now: at('2026-12-07T10:00:00Z'), retentionDays: 90, existing: ['check_results_default'], daysInDefault: [] });
    expect(plan.create.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-12-06', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10']);
    expect(plan.drop).toEqual([]);
  });

  it('creates nothing that exists, adds the days the default partition caught, and drops days wholly past the retention', () => {
    const existing = ['check_results_default', 'check_results_d20261128', 'check_results_d20261129', 'check_results_d20261130', 'check_results_d20261206', 'check_results_d20261207', 'check_results_d20261208', 'check_results_d20261209', 'check_results_d20261210'];
    const plan = planPartitions({
      now: at('2026-12-07T10:00:00Z'),
      retentionDays: 7,
      existing,
      // the 3rd is within the retention; the 29th of November is past it, and its rows are deleted from the default instead
      daysInDefault: [at('2026-12-03T00:00:00Z'), at('2026-11-29T00:00:00Z')],
    });
    expect(plan.create.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-12-03']);
    // the edge is 2026-11-30T10:00Z: the 30th still holds results inside the retention, so it stays
    expect(plan.drop).toEqual(['check_results_d20261128', 'check_results_d20261129']);
  });
});
