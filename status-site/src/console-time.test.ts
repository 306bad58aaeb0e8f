import { describe, expect, it } from 'vitest';
import { formatInZone, readLocalTime } from './console-time.ts';

describe('readLocalTime', () => {
  it.each([
    { value: '2026-11-22T03:30', zone: 'Europe/Copenhagen', iso: '2026-11-22T02:30:00.000Z' }, // winter: +01:00
    { value: '2026-07-01T03:30', zone: 'Europe/Copenhagen', iso: '2026-07-01T01:30:00.000Z' }, // summer: +02:00
    { value: '2026-11-22T03:30', zone: 'UTC', iso: '2026-11-22T03:30:00.000Z' },
    { value: '2026-11-22T03:30', zone: 'America/New_York', iso: '2026-11-22T08:30:00.000Z' },
    { value: '2026-10-25T02:30', zone: 'Europe/Copenhagen', iso: '2026-10-25T01:30:00.000Z' }, // the repeated hour: read as the second (standard time)
  ])('reads $value in $zone as $iso', ({ value, zone, iso }) => {
    expect(readLocalTime(value, zone)).toEqual({ iso });
  });

  it('refuses a wall time skipped when the clocks go forward, an unknown zone and a malformed value', () => {
    expect(readLocalTime('2026-03-29T02:30', 'Europe/Copenhagen')).toEqual({ error: '2026-03-29 02:30 does not exist in Europe/Copenhagen: the clocks go forward then; choose a time after the change' });
    expect(readLocalTime('2026-11-22T03:30', 'Europe/Atlantis')).toEqual({ error: '"Europe/Atlantis" is not a time zone; choose one from the list' });
    expect(readLocalTime('22/11/2026 03:30', 'Europe/Copenhagen')).toHaveProperty('error');
    expect(readLocalTime('2026-02-30T03:30', 'Europe/Copenhagen')).toHaveProperty('error');
  });

  it('shows an instant in the zone it names', () => {
    expect(formatInZone('2026-11-22T02:30:00.000Z', 'Europe/Copenhagen')).toBe('22 Nov 2026, 03:30 (Europe/Copenhagen)');
  });
});
