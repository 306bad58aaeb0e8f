import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkWindowPolicy, type WindowPolicy } from './window-policy.ts';

const CPH = 'Europe/Copenhagen';
const at = (iso: string) => DateTime.fromISO(iso, { zone: CPH }).toMillis();
/** OS2faktor §4.1: one a month, weekend Saturday 04:00 to Monday 04:00, at most 4 h, a calendar month's notice. */
const os2faktor: WindowPolicy = { maxPerMonth: 1, allowedSpan: { fromWeekday: 6, fromTime: '04:00', toWeekday: 1, toTime: '04:00' }, maxDurationMinutes: 240, minNoticeMonths: 1, emergencyAllowed: true };
const window = (start: string, end: string, announced = '2026-01-01T09:00') => ({ plannedStart: at(start), plannedEnd: at(end), announcedAt: at(announced) });

describe('checkWindowPolicy', () => {
  it('accepts a window that keeps every rule', () => {
    // Saturday 7 February 2026 05:00–08:00, announced 1 January
    expect(checkWindowPolicy({ policy: os2faktor, window: window('2026-02-07T05:00', '2026-02-07T08:00'), planned: [], timeZone: CPH })).toEqual({ verdict: 'accepted' });
  });

  it.each([
    { name: 'too long', start: '2026-02-07T05:00', end: '2026-02-07T09:30', rule: 'max_duration', says: /lasts 270 minutes; at most 240/ },
    { name: 'on a weekday', start: '2026-02-04T05:00', end: '2026-02-04T06:00', rule: 'allowed_span', says: /between Saturday 04:00 and Monday 04:00/ },
    { name: 'before Saturday 04:00', start: '2026-02-07T03:00', end: '2026-02-07T05:00', rule: 'allowed_span', says: /Saturday 04:00/ },
    { name: 'past Monday 04:00', start: '2026-02-09T02:00', end: '2026-02-09T05:00', rule: 'allowed_span', says: /Monday 04:00/ },
    { name: 'less than a calendar month of notice', start: '2026-01-24T05:00', end: '2026-01-24T06:00', rule: 'min_notice', says: /2026-02-01T09:00:00\+01:00 at the earliest/ },
  ])('names the rule a window breaks: $name', ({ start, end, rule, says }) => {
    const verdict = checkWindowPolicy({ policy: { ...os2faktor, emergencyAllowed: false }, window: window(start, end), planned: [], timeZone: CPH });
    expect(verdict.verdict).toBe('refused');
    const broken = verdict.verdict === 'refused' ? verdict.broken : [];
    expect(broken.map((b) => b.rule)).toEqual([rule]);
    expect(broken[0]!.message).toMatch(says);
  });

  it('allows a window from Sunday night into Monday before 04:00', () => {
    expect(checkWindowPolicy({ policy: os2faktor, window: window('2026-02-08T23:00', '2026-02-09T03:00'), planned: [], timeZone: CPH }).verdict).toBe('accepted');
  });

  it('counts the quota per month and per year, ignoring emergency windows', () => {
    const planned = [{ ...window('2026-02-14T05:00', '2026-02-14T06:00'), emergency: false }];
    const second = checkWindowPolicy({ policy: { ...os2faktor, emergencyAllowed: false }, window: window('2026-02-21T05:00', '2026-02-21T06:00'), planned, timeZone: CPH });
    expect(second).toEqual({ verdict: 'refused', broken: [{ rule: 'max_per_month', message: '2026-02 already has 1 window(s); at most 1 a month' }] });
    const afterEmergency = checkWindowPolicy({ policy: os2faktor, window: window('2026-02-21T05:00', '2026-02-21T06:00'), planned: [{ ...planned[0]!, emergency: true }], timeZone: CPH });
    expect(afterEmergency.verdict).toBe('accepted');
    const yearly: WindowPolicy = { maxPerYear: 12, emergencyAllowed: false };
    const twelve = Array.from({ length: 12 }, (_, m) => window(`2026-${String(m + 1).padStart(2, '0')}-03T05:00`, `2026-${String(m + 1).padStart(2, '0')}-03T06:00`));
    expect(checkWindowPolicy({ policy: yearly, window: window('2026-12-20T05:00', '2026-12-20T06:00'), planned: twelve, timeZone: CPH })).toMatchObject({ verdict: 'refused', broken: [{ rule: 'max_per_year' }] });
  });

  it('accepts a rule-breaking window as an emergency where the profile allows it, naming what it breaks', () => {
    const verdict = checkWindowPolicy({ policy: os2faktor, window: window('2026-01-05T10:00', '2026-01-05T16:00', '2026-01-05T09:00'), planned: [], timeZone: CPH });
    expect(verdict.verdict).toBe('emergency');
    expect(verdict.verdict === 'emergency' && verdict.broken.map((b) => b.rule)).toEqual(['max_duration', 'min_notice', 'allowed_span']);
  });
});
