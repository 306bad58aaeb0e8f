export { computeAvailability, EXCLUSION_REASONS, FIGURE_RULES, type AvailabilityFigures, type Exclusion, type ExclusionReason, type ServiceWindow, type StateInterval, type UnmeasuredPolicy } from './compute-availability.ts';
export { coveredIntervals, type CoverageSpec, type Covered } from './coverage.ts';
export { closedDays, isKnownHolidayRegion, type CalendarSpec, type ClosedDay } from './calendar.ts';
export { intersect, measure, normalize, subtract, union, type Interval } from './interval-set.ts';
export { mergeStates } from './merge-states.ts';
export { monthOf, monthsOf, parsePeriod, type Period, type PeriodKind } from './periods.ts';
export { coveredTimeBetween, deadlineInCoveredTime } from './reaction-clock.ts';
export { checkWindowPolicy, type BrokenRule, type WindowPolicy, type WindowVerdict } from './window-policy.ts';
export { attributeDowntime, type AttributedSpan, type DependencyStates } from './attribute-downtime.ts';
