import { describe, expect, it } from 'vitest';
import { previousPeriodKey, type ReportKind } from './previous-period.ts';

const cases: [ReportKind, string, string, string][] = [
  // kind, instant, zone, expected
  ['month', '2026-04-07T06:00:00Z', 'Europe/Copenhagen', '2026-03'],
  ['month', '2026-01-07T07:00:00Z', 'Europe/Copenhagen', '2025-12'],
  // 23:30 UTC on 31 March is already 1 April in Copenhagen
  ['month', '2026-03-31T23:30:00Z', 'Europe/Copenhagen', '2026-03'],
  ['month', '2026-03-31T23:30:00Z', 'UTC', '2026-02'],
  ['tertial', '2026-01-07T07:00:00Z', 'Europe/Copenhagen', '2025-T3'],
  ['tertial', '2026-05-07T06:00:00Z', 'Europe/Copenhagen', '2026-T1'],
  ['tertial', '2026-09-07T06:00:00Z', 'Europe/Copenhagen', '2026-T2'],
  ['tertial', '2026-08-31T23:00:00Z', 'Europe/Copenhagen', '2026-T2'],
  ['tertial', '2026-08-31T23:00:00Z', 'UTC', '2026-T1'],
  ['tertial', '2026-12-31T12:00:00Z', 'Europe/Stockholm', '2026-T2'],
  ['year', '2026-01-07T07:00:00Z', 'Europe/Copenhagen', '2025'],
  ['year', '2025-12-31T23:30:00Z', 'Europe/Copenhagen', '2025'],
  ['year', '2025-12-31T23:30:00Z', 'UTC', '2024'],
  ['year', '2024-02-29T12:00:00Z', 'UTC', '2023'],
];

describe('previousPeriodKey', () => {
  it.each(cases)('%s before %s in %s is %s', (kind, at, zone, expected) => {
    expect(previousPeriodKey(kind, new Date(at), zone)).toBe(expected);
  });
});
