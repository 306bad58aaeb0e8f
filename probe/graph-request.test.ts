import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './graph-request.ts';

describe('retryAfterMs', () => {
  const now = new Date('2026-11-21T12:00:00.000Z');
  it.each([
    { header: '120', ms: 120_000 },
    { header: '0', ms: 0 },
    { header: ['30', '60'], ms: 30_000 },
    { header: 'Sat, 21 Nov 2026 12:01:30 GMT', ms: 90_000 },
    { header: 'Sat, 21 Nov 2026 11:00:00 GMT', ms: 0 },
    { header: undefined, ms: 60_000 },
    { header: 'soon', ms: 60_000 },
  ])('Retry-After $header → $ms ms', ({ header, ms }) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
