import { describe, expect, it } from 'vitest';
import type { RegionDetail } from './load-page-status.ts';
import { toStatuspageIndicator, toStatuspageStatus } from './to-statuspage.ts';

const region = (outcome: RegionDetail['outcome']): RegionDetail => ({
  regionId: outcome,
  checkId: 'https',
  outcome,
  reason: null,
  message: null,
  latencyMs: 1,
  httpStatus: 200,
  checkedAt: '2026-11-21T00:00:00Z',
});

describe('Statuspage mapping', () => {
  it.each([
    { state: 'up', regions: [region('up')], status: 'operational' },
    { state: 'degraded', regions: [region('degraded')], status: 'degraded_performance' },
    { state: 'unknown', regions: [], status: 'degraded_performance' },
    { state: 'down', regions: [region('down'), region('down')], status: 'major_outage' },
    { state: 'down', regions: [region('down'), region('down'), region('up')], status: 'partial_outage' },
  ] as const)('$state in regions $regions.length → $status', ({ state, regions, status }) => {
    expect(toStatuspageStatus({ state, regions: [...regions] })).toBe(status);
  });

  it.each([
    { statuses: ['operational', 'operational'], indicator: 'none', description: 'All Systems Operational' },
    { statuses: ['operational', 'degraded_performance'], indicator: 'minor', description: 'Minor Service Outage' },
    { statuses: ['operational', 'operational', 'major_outage'], indicator: 'major', description: 'Partial System Outage' },
    { statuses: ['partial_outage', 'operational'], indicator: 'major', description: 'Partial System Outage' },
    { statuses: ['major_outage', 'major_outage', 'operational'], indicator: 'critical', description: 'Major System Outage' },
    { statuses: [], indicator: 'none', description: 'All Systems Operational' },
  ] as const)('$statuses → $indicator', ({ statuses, indicator, description }) => {
    expect(toStatuspageIndicator([...statuses])).toEqual({ indicator, description });
  });
});
