import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeAvailability, type Exclusion, type ServiceWindow, type StateInterval } from './compute-availability.ts';
import { coveredIntervals, type CoverageSpec } from './coverage.ts';
import { parsePeriod } from './periods.ts';

const CPH = 'Europe/Copenhagen';
const HOUR = 3600;
const DAY = 24 * HOUR;
/** A local time in Copenhagen as epoch ms. */
const cph = (iso: string) => DateTime.fromISO(iso, { zone: CPH }).toMillis();
const always: CoverageSpec = { kind: 'always' };
const schoolDays: CoverageSpec = {
  kind: 'business-hours',
  weekdays: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '16:00',
  calendar: { holidays: { country: 'DK' }, closures: [{ name: 'Sommerferie', from: '2026-06-27', to: '2026-08-09' }] },
};

function report(args: { month: string; coverage?: CoverageSpec; states?: StateInterval[]; windows?: ServiceWindow[]; exclusions?: Exclusion[]; target?: number; unmeasured?: 'exclude' | 'down' }) {
  const period = parsePeriod(args.month, CPH)!;
  const covered = coveredIntervals({ coverage: args.coverage ?? always, timeZone: CPH, period: period.interval }).intervals;
  // unless told otherwise, the component was measured up for the whole period
  const states = args.states ?? [{ state: 'up', start: period.interval.start, end: period.interval.end }];
  return computeAvailability({ states, covered, windows: args.windows ?? [], exclusions: args.exclusions ?? [], period: period.interval, target: args.target ?? 0.999, unmeasured: args.unmeasured });
}

describe('computeAvailability: periods', () => {
  it.each([
    { month: '2026-02', seconds: 28 * DAY, note: '28 days' },
    { month: '2028-02', seconds: 29 * DAY, note: '29 days (leap year)' },
    { month: '2026-04', seconds: 30 * DAY, note: '30 days' },
    { month: '2026-01', seconds: 31 * DAY, note: '31 days' },
    { month: '2026-03', seconds: 31 * DAY - HOUR, note: '31 days, clocks forward on 29 March: 743 h' },
    { month: '2026-10', seconds: 31 * DAY + HOUR, note: '31 days, clocks back on 25 October: 745 h' },
  ])('$month around the clock: $note', ({ month, seconds }) => {
    expect(report({ month })).toMatchObject({ potentialSeconds: seconds, availableSeconds: seconds, downSeconds: 0, availability: 1, met: true });
  });

  it('counts school days 08–16 only: March 2026 has 22 weekdays, no holidays', () => {
    expect(report({ month: '2026-03', coverage: schoolDays })).toMatchObject({ coveredSeconds: 22 * 8 * HOUR, potentialSeconds: 22 * 8 * HOUR });
  });

  it('keeps business hours at 08–16 local across the spring DST change', () => {
    const covered = coveredIntervals({ coverage: schoolDays, timeZone: CPH, period: { start: cph('2026-03-27T00:00'), end: cph('2026-03-31T00:00') } }).intervals;
    expect(covered.map((i) => [DateTime.fromMillis(i.start, { zone: CPH }).toFormat('ccc HH:mm'), (i.end - i.start) / 1000 / HOUR])).toEqual([
      ['Fri 08:00', 8],
      ['Mon 08:00', 8],
    ]);
    expect(DateTime.fromMillis(covered[0]!.start).toUTC().hour).toBe(7); // CET
    expect(DateTime.fromMillis(covered[1]!.start).toUTC().hour).toBe(6); // CEST
  });

  it('keeps business hours at 08–16 local across the autumn DST change', () => {
    const covered = coveredIntervals({ coverage: schoolDays, timeZone: CPH, period: { start: cph('2026-10-23T00:00'), end: cph('2026-10-27T00:00') } }).intervals;
    expect(covered.map((i) => [DateTime.fromMillis(i.start, { zone: CPH }).toFormat('ccc HH:mm'), (i.end - i.start) / 1000 / HOUR])).toEqual([
      ['Fri 08:00', 8],
      ['Mon 08:00', 8],
    ]);
    expect(DateTime.fromMillis(covered[0]!.start).toUTC().hour).toBe(6); // CEST
    expect(DateTime.fromMillis(covered[1]!.start).toUTC().hour).toBe(7); // CET
  });

  it('leaves out Easter: April 2026 has 22 weekdays, of which Skærtorsdag, Langfredag and Anden påskedag are holidays', () => {
    const covered = coveredIntervals({ coverage: schoolDays, timeZone: CPH, period: parsePeriod('2026-04', CPH)!.interval });
    expect(covered.closedDays.map((d) => d.date)).toEqual(['2026-04-02', '2026-04-03', '2026-04-06']);
    expect(report({ month: '2026-04', coverage: schoolDays }).potentialSeconds).toBe(19 * 8 * HOUR);
  });

  it('reports null, not 100 %, for a month with no covered time (the school summer holiday)', () => {
    expect(report({ month: '2026-07', coverage: schoolDays })).toMatchObject({ potentialSeconds: 0, availability: null, met: null, errorBudgetSeconds: 0 });
  });
});

describe('computeAvailability: downtime, windows, exclusions', () => {
  const month = '2026-01';
  const monthSeconds = 31 * DAY;
  const downBetween = (from: string, to: string): StateInterval[] => [
    { state: 'up', start: cph('2026-01-01T00:00'), end: cph(from) },
    { state: 'down', start: cph(from), end: cph(to) },
    { state: 'up', start: cph(to), end: cph('2026-02-01T00:00') },
  ];

  it('counts measured downtime against the target and the error budget', () => {
    const figures = report({ month, states: downBetween('2026-01-14T10:00', '2026-01-14T11:00') });
    expect(figures).toMatchObject({ potentialSeconds: monthSeconds, downSeconds: HOUR, availableSeconds: monthSeconds - HOUR, met: false });
    expect(figures.availability).toBeCloseTo(1 - HOUR / monthSeconds, 12);
    expect(figures.errorBudgetSeconds).toBeCloseTo(0.001 * monthSeconds, 6); // 44.64 min
    expect(figures.errorBudgetLeftSeconds).toBeCloseTo(0.001 * monthSeconds - HOUR, 6);
  });

  it('leaves a window crossing midnight, a weekend and the month end out of both sides, cut at the month boundary', () => {
    // Saturday 31 January 22:00 to Sunday 1 February 02:00: 2 h of it fall in January
    const window: ServiceWindow = { id: 'w', plannedStart: cph('2026-01-31T22:00'), plannedEnd: cph('2026-02-01T02:00') };
    const states = downBetween('2026-01-31T22:00', '2026-02-01T00:00');
    const january = report({ month, states, windows: [window] });
    expect(january).toMatchObject({ windowSeconds: 2 * HOUR, potentialSeconds: monthSeconds - 2 * HOUR, downSeconds: 0, availability: 1 });
    const february = report({ month: '2026-02', windows: [window] });
    expect(february.windowSeconds).toBe(2 * HOUR);
  });

  it('does not count overlapping windows twice', () => {
    const windows = [
      { id: 'a', plannedStart: cph('2026-01-10T04:00'), plannedEnd: cph('2026-01-10T08:00') },
      { id: 'b', plannedStart: cph('2026-01-10T06:00'), plannedEnd: cph('2026-01-10T10:00') },
    ];
    expect(report({ month, windows }).windowSeconds).toBe(6 * HOUR);
  });

  it('counts an overrun past the planned end as downtime, even while measured up', () => {
    const windows = [{ id: 'w', plannedStart: cph('2026-01-10T04:00'), plannedEnd: cph('2026-01-10T08:00'), actualEnd: cph('2026-01-10T09:30') }];
    expect(report({ month, windows })).toMatchObject({ windowSeconds: 4 * HOUR, overrunSeconds: 1.5 * HOUR, downSeconds: 1.5 * HOUR, potentialSeconds: monthSeconds - 4 * HOUR });
  });

  it('never lets an exclusion cancel an overrun', () => {
    const windows = [{ id: 'w', plannedStart: cph('2026-01-10T04:00'), plannedEnd: cph('2026-01-10T08:00'), actualEnd: cph('2026-01-10T09:00') }];
    const exclusions: Exclusion[] = [{ id: 'x', start: cph('2026-01-10T07:00'), end: cph('2026-01-10T12:00'), reason: 'force_majeure' }];
    expect(report({ month, windows, exclusions })).toMatchObject({ overrunSeconds: HOUR, downSeconds: HOUR, excludedSeconds: 4 * HOUR });
  });

  it('counts an exclusion only outside announced windows, as available time kept in potential', () => {
    const states = downBetween('2026-01-20T10:00', '2026-01-20T14:00');
    const windows = [{ id: 'w', plannedStart: cph('2026-01-20T09:00'), plannedEnd: cph('2026-01-20T11:00') }];
    const exclusions: Exclusion[] = [{ id: 'x', start: cph('2026-01-20T10:00'), end: cph('2026-01-20T12:00'), reason: 'consumer_fault' }];
    const figures = report({ month, states, windows, exclusions });
    // down 10–14; window takes 10–11; exclusion takes 11–12; 12–14 is downtime
    expect(figures).toMatchObject({ windowSeconds: 2 * HOUR, excludedSeconds: HOUR, excludedSecondsByReason: { consumer_fault: HOUR }, downSeconds: 2 * HOUR, potentialSeconds: monthSeconds - 2 * HOUR });
  });

  it('counts an agreed upgrade outside a window as uptime that stays in the fraction (D-IKT)', () => {
    const states = downBetween('2026-01-15T18:00', '2026-01-15T20:00');
    const exclusions: Exclusion[] = [{ id: 'u', start: cph('2026-01-15T18:00'), end: cph('2026-01-15T20:00'), reason: 'agreed_upgrade' }];
    expect(report({ month, states, exclusions })).toMatchObject({ potentialSeconds: monthSeconds, downSeconds: 0, availability: 1, excludedSecondsByReason: { agreed_upgrade: 2 * HOUR } });
  });

  it('counts degraded time as available and reports it', () => {
    const states: StateInterval[] = [
      { state: 'up', start: cph('2026-01-01T00:00'), end: cph('2026-01-05T00:00') },
      { state: 'degraded', start: cph('2026-01-05T00:00'), end: cph('2026-01-05T03:00') },
      { state: 'up', start: cph('2026-01-05T03:00'), end: cph('2026-02-01T00:00') },
    ];
    expect(report({ month, states })).toMatchObject({ degradedSeconds: 3 * HOUR, downSeconds: 0, availability: 1 });
  });

  it('leaves unmeasured time out of both sides by default, or counts it as down when the profile says so', () => {
    const states: StateInterval[] = [
      { state: 'up', start: cph('2026-01-01T00:00'), end: cph('2026-01-10T00:00') },
      { state: 'unknown', start: cph('2026-01-10T00:00'), end: cph('2026-01-10T06:00') },
      // nothing at all stored for 10 Jan 06:00–12:00
      { state: 'up', start: cph('2026-01-10T12:00'), end: cph('2026-02-01T00:00') },
    ];
    expect(report({ month, states })).toMatchObject({ unmeasuredSeconds: 12 * HOUR, potentialSeconds: monthSeconds - 12 * HOUR, downSeconds: 0, availability: 1 });
    expect(report({ month, states, unmeasured: 'down' })).toMatchObject({ unmeasuredSeconds: 12 * HOUR, potentialSeconds: monthSeconds, downSeconds: 12 * HOUR });
  });
});

describe('computeAvailability: properties', () => {
  const period = { start: 0, end: 100_000 };
  const arbStates = fc
    .array(fc.tuple(fc.constantFrom('up', 'degraded', 'down', 'unknown') as fc.Arbitrary<StateInterval['state']>, fc.integer({ min: 1, max: 20_000 })), { minLength: 1, maxLength: 12 })
    .map((parts) => {
      let t = 0;
      return parts.map(([state, length]) => ({ state, start: t, end: (t += length) }));
    });
  const arbIntervals = fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 20_000 })), { maxLength: 4 });
  const arbInput = fc.record({
    states: arbStates,
    covered: arbIntervals.map((list) => (list.length ? list.map(([s, l]) => ({ start: s, end: s + l })) : [period])),
    windows: arbIntervals.map((list) => list.map(([s, l], i) => ({ id: `w${i}`, plannedStart: s, plannedEnd: s + l, actualEnd: s + l + (i % 2) * 500 }))),
    exclusions: arbIntervals.map((list) => list.map(([s, l], i) => ({ id: `x${i}`, start: s, end: s + l, reason: 'force_majeure' as const }))),
    unmeasured: fc.constantFrom('exclude', 'down') as fc.Arbitrary<'exclude' | 'down'>,
  });
  const compute = (input: Omit<Parameters<typeof computeAvailability>[0], 'period' | 'target'>) =>
    computeAvailability({ ...input, period, target: 0.99 });

  it('keeps availability in [0, 1] and the seconds adding up: potential = available + down', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const f = compute(input);
        expect(f.potentialSeconds).toBeCloseTo(f.availableSeconds + f.downSeconds, 9);
        if (f.availability !== null) expect(f.availability).toBeGreaterThanOrEqual(0);
        if (f.availability !== null) expect(f.availability).toBeLessThanOrEqual(1);
        expect(f.availability === null).toBe(f.potentialSeconds === 0);
      }),
    );
  });

  it('never raises availability when downtime is added', () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 99_000 }), fc.integer({ min: 1, max: 1_000 }), (input, at, length) => {
        const before = compute(input);
        // turn [at, at + length) down, overriding whatever was measured there
        const cut = { start: at, end: at + length };
        const states = input.states.flatMap((s) => [
          ...(s.start < cut.start ? [{ ...s, end: Math.min(s.end, cut.start) }] : []),
          ...(s.end > cut.end ? [{ ...s, start: Math.max(s.start, cut.end) }] : []),
        ]).filter((s) => s.end > s.start);
        const after = compute({ ...input, states: [...states, { state: 'down', ...cut }] });
        if (before.availability !== null && after.availability !== null && after.potentialSeconds >= before.potentialSeconds) {
          expect(after.availability).toBeLessThanOrEqual(before.availability + 1e-12);
        }
        expect(after.downSeconds).toBeGreaterThanOrEqual(before.downSeconds);
      }),
    );
  });

  it('does not change when an interval is split in two', () => {
    fc.assert(
      fc.property(arbInput, fc.nat(), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (input, pick, fraction) => {
        const index = pick % input.states.length;
        const s = input.states[index]!;
        const mid = Math.round(s.start + (s.end - s.start) * fraction);
        const split = [...input.states.slice(0, index), { ...s, end: mid }, { ...s, start: mid }, ...input.states.slice(index + 1)];
        expect(compute({ ...input, states: split })).toEqual(compute(input));
      }),
    );
  });
});
