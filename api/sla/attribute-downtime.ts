import type { Exclusion, ServiceWindow, StateInterval } from './compute-availability.ts';
import { intersect, interval, measure, normalize, subtract, type Interval } from './interval-set.ts';

/** A component depended on (config dependsOn) and its measured states. */
export type DependencyStates = { componentId: string; states: readonly StateInterval[] };

/** A stretch of downtime that fell while dependencies were in trouble, and which. */
export type AttributedSpan = Interval & { dependencyIds: string[] };

/**
 * The part of a component's downtime that fell while a component it depends
 * on was degraded or down by its own measurements: reported apart as
 * attributed to a third party, for an operator to judge (and perhaps exclude).
 *
 *   attributed A = (down − X) ∩ C − W ∩ (∪ trouble of each dependency)
 *
 * with C, W and X as computeAvailability has them. Overrun of our own windows
 * and unmeasured time are never attributed: they are not the third party's.
 * Exclusions already recorded are left out, so an excluded span is not offered
 * again. Pure.
 */
export function attributeDowntime(args: {
  states: readonly StateInterval[];
  covered: readonly Interval[];
  windows: readonly ServiceWindow[];
  exclusions: readonly Exclusion[];
  period: Interval;
  dependencies: readonly DependencyStates[];
}): { seconds: number; spans: AttributedSpan[] } {
  const covered = intersect(normalize(args.covered), [args.period]);
  const countable = subtract(covered, normalize(args.windows.map((w) => interval(w.plannedStart, w.plannedEnd))));
  const down = subtract(intersect(normalize(args.states.filter((s) => s.state === 'down')), countable), normalize(args.exclusions));
  const troubleOf = args.dependencies.map((d) => ({ id: d.componentId, trouble: normalize(d.states.filter((s) => s.state === 'down' || s.state === 'degraded')) }));
  const attributed = intersect(down, normalize(troubleOf.flatMap((d) => d.trouble)));
  const spans = attributed.map((span) => ({ ...span, dependencyIds: troubleOf.filter((d) => measure(intersect(d.trouble, [span])) > 0).map((d) => d.id) }));
  return { seconds: measure(attributed) / 1000, spans };
}
