import { SEVERITY, type Impact, type Shown } from './shown-status.ts';

/** A component depended on, as its own measurements see it now. */
export type DependencyReading = {
  componentId: string;
  /** The least state the dependent shows while this one is not operational. */
  effect: 'degraded' | 'down';
  /** The depended-on component's measured state; `unknown` is not a problem it reports. */
  state: 'up' | 'degraded' | 'down' | 'unknown';
};

/** A dependency in trouble: why a dependent shows worse than it measures. */
export type DependencyReason = { componentId: string; effect: 'degraded' | 'down' };

const EFFECT_IMPACT: Record<DependencyReading['effect'], Impact> = { degraded: 'degraded_performance', down: 'partial_outage' };

/**
 * Counts the components a component depends on into what it shows: while one
 * is degraded or down by its own measurements, the dependent shows at least
 * that dependency's configured effect. Only measured states count, so a
 * dependency's own dependencies or declarations never chain further. The
 * shown status already there wins a tie, so a declaration or measurement
 * that says as much keeps its reason; `dependencies` lists every dependency
 * in trouble, whichever decides. Pure.
 */
export function applyDependencies(shown: Shown, readings: readonly DependencyReading[]): Shown & { dependencies: DependencyReason[] } {
  const troubled = readings.filter((r) => r.state === 'degraded' || r.state === 'down');
  const dependencies = troubled.map((r) => ({ componentId: r.componentId, effect: r.effect }));
  const worst = troubled.reduce<DependencyReading | null>((w, r) => (w === null || SEVERITY[EFFECT_IMPACT[r.effect]] > SEVERITY[EFFECT_IMPACT[w.effect]] ? r : w), null);
  if (worst && SEVERITY[EFFECT_IMPACT[worst.effect]] > SEVERITY[shown.status]) return { status: EFFECT_IMPACT[worst.effect], by: 'dependency', dependencies };
  return { ...shown, dependencies };
}
