import type { SlaProfile } from '../../config/index.ts';
import type { CalendarSpec, CoverageSpec, UnmeasuredPolicy, WindowPolicy } from '../sla/index.ts';

/** An SLA profile as the engine uses it, calendars resolved. */
export type EngineProfile = {
  id: string;
  name: string;
  /** A fraction (0.999), or null when the agreement promises no figure. */
  target: number | null;
  timeZone: string;
  coverage: CoverageSpec;
  supportHours: CoverageSpec | undefined;
  unmeasured: UnmeasuredPolicy;
  windowPolicy: WindowPolicy | undefined;
  categories: SlaProfile['categories'];
  communicationPlan: SlaProfile['communicationPlan'];
  /** Reaction minutes per priority (categories may override). */
  reactionMinutes: SlaProfile['reactionMinutes'];
  reporting: SlaProfile['reporting'];
  reportDueDay: number;
  /** Hours after the newest late result of a final month before its statements are revised. */
  lateResultsGraceHours: number;
};

type StoredSpec = SlaProfile & { calendars?: Record<string, { holidays?: CalendarSpec['holidays']; closures?: CalendarSpec['closures'] }> };

/** Converts the spec stored by the config sync (the profile with its calendars embedded). */
export function toEngineProfile(spec: StoredSpec): EngineProfile {
  const coverage = (c: SlaProfile['coverage'] | undefined): CoverageSpec | undefined => {
    if (!c) return undefined;
    if (c.kind === 'always') return { kind: 'always' };
    const calendar = c.calendar ? spec.calendars?.[c.calendar] : undefined;
    return { kind: 'business-hours', weekdays: c.weekdays, start: c.start, end: c.end, calendar };
  };
  const policy = spec.windowPolicy;
  return {
    id: spec.id,
    name: spec.name,
    // percent to fraction without binary noise: 99.9 → 0.999, not 0.9990000000000001
    target: spec.availabilityTargetPercent === undefined ? null : Number((spec.availabilityTargetPercent / 100).toFixed(10)),
    timeZone: spec.timeZone,
    coverage: coverage(spec.coverage) ?? { kind: 'always' },
    supportHours: coverage(spec.supportHours),
    unmeasured: spec.unmeasured ?? 'exclude',
    windowPolicy: policy
      ? {
          maxPerMonth: policy.maxPerMonth,
          maxPerYear: policy.maxPerYear,
          allowedSpan: policy.allowedSpan
            ? { fromWeekday: policy.allowedSpan.from.weekday, fromTime: policy.allowedSpan.from.time, toWeekday: policy.allowedSpan.to.weekday, toTime: policy.allowedSpan.to.time }
            : undefined,
          maxDurationMinutes: policy.maxDurationMinutes,
          minNoticeMonths: policy.minNoticeMonths,
          emergencyAllowed: policy.emergencyAllowed ?? false,
        }
      : undefined,
    categories: spec.categories ?? [],
    reactionMinutes: spec.reactionMinutes,
    communicationPlan: spec.communicationPlan ?? { registeredMinutes: 15, natureMinutes: 30, estimateMinutes: 90, runningStatusEveryMinutes: 60, operationNormalMinutes: 15 },
    reporting: spec.reporting ?? ['month'],
    reportDueDay: spec.reportDueDay ?? 7,
    lateResultsGraceHours: spec.lateResultsGraceHours ?? 48,
  };
}

/** The window policy for a component: the profile's, with its service category's overrides. */
export function windowPolicyFor(profile: EngineProfile, categoryId: string | null | undefined): WindowPolicy | undefined {
  const override = profile.categories.find((c) => c.id === categoryId)?.windowPolicy;
  if (!profile.windowPolicy && !override) return undefined;
  const base: WindowPolicy = profile.windowPolicy ?? { emergencyAllowed: false };
  if (!override) return base;
  return {
    ...base,
    ...(override.maxPerMonth !== undefined ? { maxPerMonth: override.maxPerMonth } : {}),
    ...(override.maxPerYear !== undefined ? { maxPerYear: override.maxPerYear } : {}),
    ...(override.maxDurationMinutes !== undefined ? { maxDurationMinutes: override.maxDurationMinutes } : {}),
    ...(override.minNoticeMonths !== undefined ? { minNoticeMonths: override.minNoticeMonths } : {}),
    ...(override.emergencyAllowed !== undefined ? { emergencyAllowed: override.emergencyAllowed } : {}),
    ...(override.allowedSpan
      ? { allowedSpan: { fromWeekday: override.allowedSpan.from.weekday, fromTime: override.allowedSpan.from.time, toWeekday: override.allowedSpan.to.weekday, toTime: override.allowedSpan.to.time } }
      : {}),
  };
}
