import { describe, expect, it } from 'vitest';
import { applyDependencies, type DependencyReading } from './dependency-status.ts';
import type { Shown } from './shown-status.ts';

const up: Shown = { status: 'operational', by: 'measured' };
const dep = (state: DependencyReading['state'], effect: DependencyReading['effect'] = 'degraded', componentId = 'exchange'): DependencyReading => ({ componentId, effect, state });

describe('applyDependencies', () => {
  it.each([
    { name: 'no dependencies change nothing', shown: up, readings: [], want: { status: 'operational', by: 'measured', dependencies: [] } },
    { name: 'an operational dependency changes nothing', shown: up, readings: [dep('up')], want: { status: 'operational', by: 'measured', dependencies: [] } },
    { name: 'an unmeasured dependency is no reported problem', shown: up, readings: [dep('unknown', 'down')], want: { status: 'operational', by: 'measured', dependencies: [] } },
    { name: 'a degraded dependency shows its effect', shown: up, readings: [dep('degraded')], want: { status: 'degraded_performance', by: 'dependency', dependencies: [{ componentId: 'exchange', effect: 'degraded' }] } },
    { name: 'a down dependency with effect down is an outage', shown: up, readings: [dep('down', 'down')], want: { status: 'partial_outage', by: 'dependency', dependencies: [{ componentId: 'exchange', effect: 'down' }] } },
    { name: 'the effect, not the dependency state, decides', shown: up, readings: [dep('down', 'degraded')], want: { status: 'degraded_performance', by: 'dependency', dependencies: [{ componentId: 'exchange', effect: 'degraded' }] } },
    {
      name: 'the worst effect among several wins',
      shown: up,
      readings: [dep('degraded', 'degraded', 'a'), dep('down', 'down', 'b')],
      want: { status: 'partial_outage', by: 'dependency', dependencies: [{ componentId: 'a', effect: 'degraded' }, { componentId: 'b', effect: 'down' }] },
    },
    { name: 'a worse measurement keeps its reason', shown: { status: 'major_outage', by: 'measured' }, readings: [dep('down', 'down')], want: { status: 'major_outage', by: 'measured', dependencies: [{ componentId: 'exchange', effect: 'down' }] } },
    { name: 'a declaration that says as much wins the tie', shown: { status: 'degraded_performance', by: 'declared' }, readings: [dep('degraded')], want: { status: 'degraded_performance', by: 'declared', dependencies: [{ componentId: 'exchange', effect: 'degraded' }] } },
    { name: 'maintenance is less than a dependency fault', shown: { status: 'under_maintenance', by: 'measured' }, readings: [dep('degraded')], want: { status: 'degraded_performance', by: 'dependency', dependencies: [{ componentId: 'exchange', effect: 'degraded' }] } },
  ] as const)('$name', ({ shown, readings, want }) => {
    expect(applyDependencies(shown, readings)).toEqual(want);
  });
});
