import { describe, expect, it } from 'vitest';
import { credentialStateOf, type CloudWatchReading } from './record-credential-alerts.ts';

const reading = (regionId: string, minute: number, reason: string | null, message: string | null = null): CloudWatchReading => ({ componentId: 'idp', checkId: 'cloudwatch', regionId, startedAt: new Date(Date.UTC(2026, 2, 2, 10, minute)), reason, message });

describe('credentialStateOf', () => {
  it.each([
    ['no readings', [], { state: 'undecided' }],
    ['every region read', [reading('north', 1, null), reading('south', 2, 'metric_threshold')], { state: 'readable', since: new Date(Date.UTC(2026, 2, 2, 10, 1)) }],
    ['one region refused, one read: failing there', [reading('north', 3, 'access_denied', 'AccessDenied'), reading('south', 2, null)], { state: 'failing', regions: ['north'], since: new Date(Date.UTC(2026, 2, 2, 10, 3)), message: 'AccessDenied' }],
    ['both refused: one verdict, the earliest time', [reading('south', 4, 'access_denied', 'b'), reading('north', 3, 'access_denied', 'a')], { state: 'failing', regions: ['north', 'south'], since: new Date(Date.UTC(2026, 2, 2, 10, 3)), message: 'a' }],
    ['throttled or CloudWatch failing: nothing to say', [reading('north', 1, 'throttled'), reading('south', 1, 'cloud_error')], { state: 'undecided' }],
    ['no data is a read', [reading('north', 5, 'no_data')], { state: 'readable', since: new Date(Date.UTC(2026, 2, 2, 10, 5)) }],
  ] as const)('%s', (_name, readings, expected) => {
    expect(credentialStateOf(readings)).toEqual(expected);
  });
});
