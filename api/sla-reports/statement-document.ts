import { z } from 'zod';
import { computeAvailability, coveredIntervals, EXCLUSION_REASONS, type AvailabilityFigures, type CoverageSpec } from '../sla/index.ts';
import { ENGINE_VERSION, STATEMENT_FORMAT } from './statement.ts';

const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant, e.g. 2026-03-01T00:00:00.000Z' });
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be hh:mm' });
const TimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "Europe/Copenhagen"' },
);

const Span = <T extends z.ZodRawShape>(shape: T, startKey: string, endKey: string) =>
  z.object(shape).superRefine((value, ctx) => {
    const v = value as Record<string, string | null | undefined>;
    if (v[startKey] && v[endKey] && Date.parse(v[endKey]!) <= Date.parse(v[startKey]!)) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `must be after ${startKey} (${v[startKey]})` });
    }
  });

/** The figures of a statement, as the API serves them and statements carry them. */
export const AvailabilityFiguresSchema = z.object({
  potentialSeconds: z.number(),
  availableSeconds: z.number(),
  downSeconds: z.number(),
  coveredSeconds: z.number(),
  windowSeconds: z.number(),
  overrunSeconds: z.number(),
  excludedSeconds: z.number(),
  excludedSecondsByReason: z.partialRecord(z.enum(EXCLUSION_REASONS), z.number()),
  degradedSeconds: z.number(),
  unmeasuredSeconds: z.number(),
  availability: z.number().nullable(),
  target: z.number().nullable(),
  met: z.boolean().nullable(),
  errorBudgetSeconds: z.number(),
  errorBudgetLeftSeconds: z.number(),
});

/**
 * An SLA statement as exported: everything that produced its figures, so
 * anyone can recompute them offline with `statusvakt sla verify`.
 */
export const StatementDocument = z
  .object({
    format: z.literal(STATEMENT_FORMAT),
    engineVersion: z.string(),
    scope: z.union([
      z.object({ kind: z.literal('component'), id: z.string() }),
      z.object({ kind: z.literal('category'), id: z.string(), profileId: z.string(), componentIds: z.array(z.string()) }),
    ]),
    period: Span({ key: z.string(), start: Instant, end: Instant, timeZone: TimeZone }, 'start', 'end'),
    profile: z.object({ id: z.string(), name: z.string(), target: z.number().gt(0).max(1).nullable(), unmeasured: z.enum(['exclude', 'down']) }),
    coverage: z.object({
      definition: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('always') }),
        z.object({ kind: z.literal('business-hours'), weekdays: z.array(z.int().min(1).max(7)).min(1), start: LocalTime, end: LocalTime, calendar: z.unknown().optional() }),
      ]),
      /** The concrete days the calendar closed, as used: recomputation relies on these, not on a holiday library. */
      closedDays: z.array(z.object({ date: z.iso.date(), name: z.string(), kind: z.enum(['holiday', 'closure']) })),
    }),
    states: z.array(Span({ state: z.enum(['up', 'degraded', 'down', 'unknown']), start: Instant, end: Instant }, 'start', 'end')),
    windows: z.array(
      Span(
        {
          id: z.string(),
          plannedStart: Instant,
          plannedEnd: Instant.describe('A window must have a planned end'),
          actualEnd: Instant.nullable(),
          emergency: z.boolean().default(false),
        },
        'plannedStart',
        'plannedEnd',
      ),
    ),
    exclusions: z.array(
      Span({ id: z.string(), start: Instant, end: Instant, reason: z.enum(EXCLUSION_REASONS), note: z.string(), author: z.string().min(1), recordedAt: Instant }, 'start', 'end'),
    ),
    figures: AvailabilityFiguresSchema.optional().describe('Ignored by `sla compute`; compared by `sla verify`'),
  })
  .superRefine((doc, ctx) => {
    // state intervals must not overlap: at any instant a component has one state
    const order = doc.states.map((s, i) => ({ i, start: Date.parse(s.start), end: Date.parse(s.end) })).sort((a, b) => a.start - b.start);
    for (let k = 1; k < order.length; k++) {
      if (order[k]!.start < order[k - 1]!.end) {
        ctx.addIssue({ code: 'custom', path: ['states', order[k]!.i, 'start'], message: `overlaps states[${order[k - 1]!.i}] (which ends ${doc.states[order[k - 1]!.i]!.end})` });
      }
    }
  });
export type StatementDocument = z.infer<typeof StatementDocument>;

export type DocumentIssue = { path: string; message: string };

/** Parses a statement document; every fault is named by its path. */
export function parseStatementDocument(input: unknown): { ok: true; document: StatementDocument } | { ok: false; issues: DocumentIssue[] } {
  const parsed = StatementDocument.safeParse(input);
  if (parsed.success) return { ok: true, document: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : '(document)', message: i.message })) };
}

/**
 * The figures of a statement, recomputed from its inputs alone: no database,
 * no clock, no holiday library (the closed days are taken from the document).
 */
export function computeStatementFigures(document: StatementDocument): AvailabilityFigures {
  const period = { start: Date.parse(document.period.start), end: Date.parse(document.period.end) };
  const definition = document.coverage.definition;
  const coverage: CoverageSpec =
    definition.kind === 'always'
      ? { kind: 'always' }
      : {
          kind: 'business-hours',
          weekdays: definition.weekdays,
          start: definition.start,
          end: definition.end,
          calendar: { closures: document.coverage.closedDays.map((d) => ({ name: d.name, from: d.date, to: d.date })) },
        };
  const covered = coveredIntervals({ coverage, timeZone: document.period.timeZone, period }).intervals;
  const ms = (iso: string) => Date.parse(iso);
  return computeAvailability({
    states: document.states.map((s) => ({ state: s.state, start: ms(s.start), end: ms(s.end) })),
    covered,
    windows: document.windows.map((w) => ({ id: w.id, plannedStart: ms(w.plannedStart), plannedEnd: ms(w.plannedEnd), actualEnd: w.actualEnd ? ms(w.actualEnd) : null, emergency: w.emergency })),
    exclusions: document.exclusions.map((x) => ({ id: x.id, start: ms(x.start), end: ms(x.end), reason: x.reason })),
    period,
    target: document.profile.target,
    unmeasured: document.profile.unmeasured,
  });
}

export type FigureDifference = { figure: string; stated: unknown; recomputed: unknown };

/** Compares the stated figures with recomputed ones; an empty list means every figure matches. */
export function verifyStatement(document: StatementDocument): { differences: FigureDifference[]; recomputed: AvailabilityFigures; engineVersionMatches: boolean } {
  const recomputed = computeStatementFigures(document);
  const stated = document.figures;
  const differences: FigureDifference[] = [];
  if (!stated) return { differences: [{ figure: 'figures', stated: undefined, recomputed }], recomputed, engineVersionMatches: document.engineVersion === ENGINE_VERSION };
  const flat = (figures: AvailabilityFigures | NonNullable<StatementDocument['figures']>) => {
    const { excludedSecondsByReason, ...rest } = figures;
    return { ...rest, ...Object.fromEntries(EXCLUSION_REASONS.map((r) => [`excludedSecondsByReason.${r}`, excludedSecondsByReason[r] ?? 0])) } as Record<string, number | boolean | null>;
  };
  const a = flat(stated);
  const b = flat(recomputed);
  for (const key of Object.keys(b)) {
    if (!same(a[key], b[key])) differences.push({ figure: key, stated: a[key], recomputed: b[key] });
  }
  return { differences, recomputed, engineVersionMatches: document.engineVersion === ENGINE_VERSION };
}

/** Equal, allowing for the last bits of floating point (a ratio printed and read back). */
function same(x: unknown, y: unknown): boolean {
  if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return x === y;
}
