import { describe, expect, it } from 'vitest';
import { stateChangeEvent } from './record-alert.ts';

describe('stateChangeEvent: one alert per change of a component, not per failed check', () => {
  it.each([
    ['up', 'down', { event: 'component_down', priority: 'A' }],
    ['unknown', 'down', { event: 'component_down', priority: 'A' }],
    [null, 'degraded', { event: 'component_degraded', priority: 'B' }],
    ['degraded', 'down', { event: 'component_down', priority: 'A' }],
    ['down', 'up', { event: 'component_up', priority: 'A' }],
    ['degraded', 'up', { event: 'component_up', priority: 'B' }],
    ['down', 'down', null],
    ['unknown', 'up', null],
    [null, 'up', null],
    ['up', 'unknown', null],
    ['down', 'unknown', null],
  ] as const)('%s -> %s', (previous, next, expected) => {
    expect(stateChangeEvent(previous, next)).toEqual(expected);
  });
});
