import { intersect, interval, measure, normalize, subtract, union, type Interval } from './interval-set.ts';

export type MeasuredState = 'up' | 'degraded' | 'down' | 'unknown';
export type StateInterval = { state: MeasuredState; start: number; end: number };

/** A planned service window: announced [plannedStart, plannedEnd); time past plannedEnd until actualEnd is overrun. */
export type ServiceWindow = { id: string; plannedStart: number; plannedEnd: number; actualEnd?: number | null | undefined; emergency?: boolean | undefined };

export const EXCLUSION_REASONS = ['consumer_fault', 'network_fault', 'force_majeure', 'agreed_upgrade', 'announced_stop'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export type Exclusion = { id: string; start: number; end: number; reason: ExclusionReason };

/** How time without a measurement counts: left out of both sides (default), or as downtime. */
export type UnmeasuredPolicy = 'exclude' | 'down';

export type AvailabilityFigures = {
  /** Covered time minus announced windows (and minus unmeasured time under the `exclude` policy), seconds. */
  potentialSeconds: number;
  availableSeconds: number;
  /** Downtime: measured down (less exclusions) plus overrun, in covered time outside announced windows. */
  downSeconds: number;
  coveredSeconds: number;
  windowSeconds: number;
  overrunSeconds: number;
  excludedSeconds: number;
  excludedSecondsByReason: Partial<Record<ExclusionReason, number>>;
  /** Counted as available; reported because it is a priority-B matter. */
  degradedSeconds: number;
  unmeasuredSeconds: number;
  /** (potential − down) ÷ potential; null when there is no potential time (not 100 %). */
  availability: number | null;
  /** The promised fraction, or null when the agreement promises none (then no budget and no verdict). */
  target: number | null;
  met: boolean | null;
  /** Downtime the target allows in this potential time, and what is left of it (negative when overspent). */
  errorBudgetSeconds: number;
  errorBudgetLeftSeconds: number;
};

const seconds = (ms: number) => ms / 1000;

/** The rule behind each figure, as the report states it (docs/sla-rules.md). */
export const FIGURE_RULES: Record<keyof Omit<AvailabilityFigures, 'excludedSecondsByReason'>, string> = {
  coveredSeconds: "Covered time: the period cut to the profile's coverage (always, or business hours on its calendar) in its own time zone.",
  windowSeconds: 'Announced service windows [planned start, planned end) within covered time; left out of both sides of the fraction.',
  overrunSeconds: "Time past a window's announced end until it actually ended; counts as downtime, and no exclusion cancels it.",
  excludedSeconds: 'Exclusions (consumer fault, general network fault, force majeure, agreed upgrade, announced stop) outside windows; kept in potential time and counted as available.',
  unmeasuredSeconds: "Covered time outside windows with no fresh measurement; left out of both sides unless the profile counts it as down.",
  potentialSeconds: 'Potential time = covered time − announced windows (− unmeasured time, unless counted as down).',
  downSeconds: 'Downtime = ((measured down − exclusions) ∪ overrun) ∩ covered − announced windows; nothing counted twice.',
  availableSeconds: 'Available time = potential time − downtime.',
  degradedSeconds: 'Degraded time (answers, but misses a service target) within potential time; counted as available, reported as a priority-B matter.',
  availability: 'Availability = (potential − downtime) ÷ potential; null, not 100 %, when there is no potential time.',
  target: "The profile's availability target as a fraction; null when the agreement promises none.",
  met: 'Availability ≥ target; null when there is no figure or no target.',
  errorBudgetSeconds: 'Downtime the target allows: (1 − target) × potential time.',
  errorBudgetLeftSeconds: 'Error budget − downtime (negative when overspent).',
};

/**
 * Availability over `period`, exactly as docs/sla-rules.md defines it:
 *
 *   covered   C = period ∩ coverage
 *   windows   W = announced spans [plannedStart, plannedEnd) ∩ C
 *   overrun   O = [plannedEnd, actualEnd) ∩ C − W
 *   excluded  X = exclusions ∩ C − W            (kept in potential, counted available)
 *   down      D = ((down − X) ∪ O) ∩ C − W      (an exclusion never cancels an overrun)
 *   unmeasured U = C − W − measured − O − X     (no state, or `unknown`)
 *   potential P = C − W − U   (policy `exclude`), or C − W with U counted as down (policy `down`)
 *
 * Nothing is counted twice: every figure is a measure of a set.
 */
export function computeAvailability(args: {
  states: readonly StateInterval[];
  covered: readonly Interval[];
  windows: readonly ServiceWindow[];
  exclusions: readonly Exclusion[];
  period: Interval;
  target: number | null;
  unmeasured?: UnmeasuredPolicy | undefined;
}): AvailabilityFigures {
  const covered = intersect(normalize(args.covered), [args.period]);
  const windows = intersect(normalize(args.windows.map((w) => interval(w.plannedStart, w.plannedEnd))), covered);
  const countable = subtract(covered, windows);
  const overrun = intersect(
    normalize(args.windows.flatMap((w) => (w.actualEnd && w.actualEnd > w.plannedEnd ? [interval(w.plannedEnd, w.actualEnd)] : []))),
    countable,
  );
  const excluded = intersect(normalize(args.exclusions), countable);
  const byState = (state: MeasuredState) => intersect(normalize(args.states.filter((s) => s.state === state)), countable);
  const down = byState('down');
  const degraded = byState('degraded');
  const measured = union(byState('up'), degraded, down);
  const unmeasured = subtract(subtract(subtract(countable, measured), overrun), excluded);

  const countsAsDown = args.unmeasured === 'down' ? union(down, unmeasured) : down;
  const downtime = union(subtract(countsAsDown, excluded), overrun);
  const potential = args.unmeasured === 'down' ? countable : subtract(countable, unmeasured);

  const potentialSeconds = seconds(measure(potential));
  const downSeconds = seconds(measure(downtime));
  const availability = potentialSeconds > 0 ? (potentialSeconds - downSeconds) / potentialSeconds : null;
  const errorBudgetSeconds = args.target === null ? 0 : (1 - args.target) * potentialSeconds;
  const excludedSecondsByReason: Partial<Record<ExclusionReason, number>> = {};
  for (const reason of new Set(args.exclusions.map((e) => e.reason))) {
    excludedSecondsByReason[reason] = seconds(measure(intersect(normalize(args.exclusions.filter((e) => e.reason === reason)), countable)));
  }
  return {
    potentialSeconds,
    availableSeconds: potentialSeconds - downSeconds,
    downSeconds,
    coveredSeconds: seconds(measure(covered)),
    windowSeconds: seconds(measure(windows)),
    overrunSeconds: seconds(measure(overrun)),
    excludedSeconds: seconds(measure(excluded)),
    excludedSecondsByReason,
    degradedSeconds: seconds(measure(subtract(degraded, excluded))),
    unmeasuredSeconds: seconds(measure(unmeasured)),
    availability,
    target: args.target,
    met: availability === null || args.target === null ? null : availability >= args.target,
    errorBudgetSeconds,
    errorBudgetLeftSeconds: errorBudgetSeconds - downSeconds,
  };
}
