import { describe, expect, it } from 'vitest';
import { planTimelineWrite, type StoredInterval } from './write-timelines.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute));
const stored = (id: number, state: string, from: number, to: number | null): StoredInterval => ({ id, componentId: 'sso', state, startedAt: at(from), endedAt: to === null ? null : at(to) });

describe('planTimelineWrite', () => {
  it('writes nothing when the stored intervals already say what the results do', () => {
    expect(planTimelineWrite({ componentId: 'sso', from: at(5), wanted: [{ state: 'up', startedAt: at(5) }], stored: [stored(1, 'up', 0, null)] })).toBeUndefined();
  });

  it('cuts the interval spanning the mark, adds the new ones, and alerts on the change into down', () => {
    const write = planTimelineWrite({
      componentId: 'sso',
      from: at(5),
      wanted: [
        { state: 'up', startedAt: at(5) },
        { state: 'down', startedAt: at(7) },
      ],
      stored: [stored(1, 'up', 0, null)],
    });
    expect(write).toEqual({
      componentId: 'sso',
      deleteIds: [],
      end: { id: 1, endedAt: at(7) },
      add: [{ state: 'down', startedAt: at(7), endedAt: null }],
      alert: { event: { event: 'component_down', priority: 'A' }, from: 'up', to: 'down', since: at(7) },
    });
  });

  it('replaces what a late result changed after the mark, and says nothing when the last state stays', () => {
    const write = planTimelineWrite({
      componentId: 'sso',
      from: at(5),
      wanted: [{ state: 'down', startedAt: at(5) }],
      stored: [stored(1, 'up', 0, 6), stored(2, 'down', 6, null)],
    });
    expect(write).toEqual({ componentId: 'sso', deleteIds: [2], end: { id: 1, endedAt: at(5) }, add: [{ state: 'down', startedAt: at(5), endedAt: null }] });
  });
});
