import { describe, expect, it } from 'vitest';
import { attributeDowntime } from './attribute-downtime.ts';
import type { StateInterval } from './compute-availability.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);
const at = (hours: number) => T0 + hours * H;
const span = (state: StateInterval['state'], from: number, to: number): StateInterval => ({ state, start: at(from), end: at(to) });
const period = { start: at(0), end: at(24) };
const always = [period];

describe('attributeDowntime', () => {
  it.each([
    { name: 'no dependency in trouble: nothing attributed', states: [span('down', 2, 4)], deps: [[span('up', 0, 24)]], want: 0, spans: [] },
    { name: 'down while the dependency is down', states: [span('down', 2, 4)], deps: [[span('down', 1, 3)]], want: 3600, spans: [[2, 3]] },
    { name: 'a degraded dependency counts as trouble', states: [span('down', 2, 4)], deps: [[span('degraded', 0, 24)]], want: 7200, spans: [[2, 4]] },
    { name: 'an unmeasured dependency is no trouble', states: [span('down', 2, 4)], deps: [[span('unknown', 0, 24)]], want: 0, spans: [] },
    { name: 'degraded time of ours is not downtime', states: [span('degraded', 2, 4)], deps: [[span('down', 0, 24)]], want: 0, spans: [] },
    { name: 'two dependencies overlapping count once', states: [span('down', 2, 6)], deps: [[span('down', 2, 5)], [span('down', 4, 6)]], want: 4 * 3600, spans: [[2, 6]] },
  ])('$name', ({ states, deps, want, spans }) => {
    const result = attributeDowntime({ states, covered: always, windows: [], exclusions: [], period, dependencies: deps.map((d, i) => ({ componentId: `dep-${i}`, states: d })) });
    expect(result.seconds).toBe(want);
    expect(result.spans.map((s) => [(s.start - T0) / H, (s.end - T0) / H])).toEqual(spans);
  });

  it('leaves out windows, exclusions and uncovered time, and names the dependencies behind each span', () => {
    const result = attributeDowntime({
      states: [span('down', 0, 24)],
      covered: [{ start: at(8), end: at(16) }],
      windows: [{ id: 'w', plannedStart: at(9), plannedEnd: at(10) }],
      exclusions: [{ id: 'x', start: at(14), end: at(15), reason: 'force_majeure' }],
      period,
      dependencies: [
        { componentId: 'exchange', states: [span('down', 0, 12)] },
        { componentId: 'entra', states: [span('degraded', 11, 16)] },
      ],
    });
    // covered 8–16, less the window 9–10 and the exclusion 14–15: 8–9, 10–14, 15–16
    expect(result.spans.map((s) => [(s.start - T0) / H, (s.end - T0) / H, s.dependencyIds])).toEqual([
      [8, 9, ['exchange']],
      [10, 14, ['exchange', 'entra']],
      [15, 16, ['entra']],
    ]);
    expect(result.seconds).toBe(6 * 3600);
  });

  it('cuts to the period', () => {
    const result = attributeDowntime({ states: [span('down', -5, 30)], covered: [{ start: at(-10), end: at(40) }], windows: [], exclusions: [], period, dependencies: [{ componentId: 'd', states: [span('down', -10, 40)] }] });
    expect(result.seconds).toBe(24 * 3600);
  });
});
