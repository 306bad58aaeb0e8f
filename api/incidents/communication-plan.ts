import { deadlineInCoveredTime, type CoverageSpec } from '../sla/index.ts';

export const STEPS = ['registered', 'nature', 'status_estimate', 'running_status', 'operation_normal', 'post_incident_report'] as const;
export type Step = (typeof STEPS)[number];
export type Priority = 'A' | 'B' | 'C' | 'D';

/** The rhythm of public messages (UNI-Login §7 is the default): minutes of covered time from registration. */
export type CommunicationPlan = { registeredMinutes: number; natureMinutes: number; estimateMinutes: number; runningStatusEveryMinutes: number; operationNormalMinutes: number };
export const DEFAULT_PLAN: CommunicationPlan = { registeredMinutes: 15, natureMinutes: 30, estimateMinutes: 90, runningStatusEveryMinutes: 60, operationNormalMinutes: 15 };

export type StepClock = {
  step: Step;
  dueAt: number | null;
  fulfilledAt: number | null;
  /** fulfilled in time, late, overdue (not yet, past due), pending (not yet, not due), not_needed (resolved before it was due), optional. */
  state: 'fulfilled' | 'late' | 'overdue' | 'pending' | 'not_needed' | 'optional';
};

/**
 * Where an incident stands against the communication plan at `now`. Applies to
 * priorities A and B; the clocks run in covered time from registration, so a
 * fault registered on Friday evening under school-day coverage is due on
 * Monday morning.
 */
export function communicationClock(args: {
  priority: Priority;
  registeredAt: number;
  resolvedAt: number | null;
  published: readonly { step: Step; at: number }[];
  coverage: CoverageSpec;
  timeZone: string;
  plan?: CommunicationPlan;
  now: number;
}): { steps: StepClock[]; next: { step: Step; dueAt: number } | null } {
  if (args.priority !== 'A' && args.priority !== 'B') return { steps: [], next: null };
  const plan = args.plan ?? DEFAULT_PLAN;
  const due = (from: number, minutes: number) => deadlineInCoveredTime({ startedAt: from, durationMinutes: minutes, coverage: args.coverage, timeZone: args.timeZone }) ?? null;
  const first = (step: Step) => args.published.filter((p) => p.step === step).reduce<number | null>((min, p) => (min === null || p.at < min ? p.at : min), null);
  const clock = (step: Step, dueAt: number | null, neededUntil: number | null = null): StepClock => {
    const fulfilledAt = first(step);
    if (fulfilledAt !== null) return { step, dueAt, fulfilledAt, state: dueAt === null || fulfilledAt <= dueAt ? 'fulfilled' : 'late' };
    if (neededUntil !== null && dueAt !== null && neededUntil <= dueAt) return { step, dueAt, fulfilledAt, state: 'not_needed' };
    if (dueAt === null) return { step, dueAt, fulfilledAt, state: 'pending' };
    return { step, dueAt, fulfilledAt, state: args.now > dueAt ? 'overdue' : 'pending' };
  };

  const steps: StepClock[] = [
    clock('registered', due(args.registeredAt, plan.registeredMinutes)),
    // "if needed": a fault fixed before the step is due does not need it
    clock('nature', due(args.registeredAt, plan.natureMinutes), args.resolvedAt),
    clock('status_estimate', due(args.registeredAt, plan.estimateMinutes), args.resolvedAt),
  ];
  // after the estimate, running status every N minutes of covered time until resolved
  const estimateDue = steps[2]!.dueAt;
  if (estimateDue !== null && (args.resolvedAt === null || args.resolvedAt > estimateDue)) {
    const lastStatus = Math.max(first('status_estimate') ?? estimateDue, ...args.published.filter((p) => p.step === 'running_status').map((p) => p.at));
    const nextDue = due(lastStatus, plan.runningStatusEveryMinutes);
    const fulfilled = args.published.filter((p) => p.step === 'running_status').length > 0;
    if (args.resolvedAt === null) steps.push({ step: 'running_status', dueAt: nextDue, fulfilledAt: null, state: nextDue !== null && args.now > nextDue ? 'overdue' : 'pending' });
    else if (fulfilled) steps.push({ step: 'running_status', dueAt: null, fulfilledAt: first('running_status'), state: 'fulfilled' });
  }
  if (args.resolvedAt !== null) {
    steps.push(clock('operation_normal', due(args.resolvedAt, plan.operationNormalMinutes)));
    const report = first('post_incident_report');
    steps.push({ step: 'post_incident_report', dueAt: null, fulfilledAt: report, state: report === null ? 'optional' : 'fulfilled' });
  }
  const open = steps.filter((s) => (s.state === 'pending' || s.state === 'overdue') && s.dueAt !== null).sort((a, b) => a.dueAt! - b.dueAt!);
  return { steps, next: open[0] ? { step: open[0].step, dueAt: open[0].dueAt! } : null };
}
