import { createHash } from 'node:crypto';
import type { AvailabilityFigures, ClosedDay, CoverageSpec, Period } from '../sla/index.ts';
import type { ComponentInputs } from './load-inputs.ts';

/** Bump when a rule of the engine changes a figure; statements say which version made them. */
export const ENGINE_VERSION = '1';
export const STATEMENT_FORMAT = 'statusvakt.sla-statement/1';

export type StatementScope = { kind: 'component'; id: string } | { kind: 'category'; id: string; profileId: string; componentIds: string[] };

/** A self-contained SLA statement: the inputs and the figures computed from them. */
export type Statement = {
  format: typeof STATEMENT_FORMAT;
  engineVersion: string;
  scope: StatementScope;
  period: { key: string; start: string; end: string; timeZone: string };
  profile: { id: string; name: string; target: number | null; unmeasured: 'exclude' | 'down' };
  coverage: { definition: CoverageSpec; closedDays: ClosedDay[] };
  states: { state: string; start: string; end: string }[];
  windows: { id: string; plannedStart: string; plannedEnd: string; actualEnd: string | null; emergency: boolean }[];
  exclusions: { id: string; start: string; end: string; reason: string; note: string; author: string; recordedAt: string }[];
  figures: AvailabilityFigures;
};

const iso = (ms: number) => new Date(ms).toISOString();

export function buildStatement(args: {
  scope: StatementScope;
  period: Period;
  profile: Statement['profile'];
  coverage: Statement['coverage'];
  inputs: ComponentInputs;
  figures: AvailabilityFigures;
}): Statement {
  return {
    format: STATEMENT_FORMAT,
    engineVersion: ENGINE_VERSION,
    scope: args.scope,
    period: { key: args.period.key, start: iso(args.period.interval.start), end: iso(args.period.interval.end), timeZone: args.period.timeZone },
    profile: args.profile,
    coverage: args.coverage,
    states: args.inputs.states.map((s) => ({ state: s.state, start: iso(s.start), end: iso(s.end) })),
    windows: args.inputs.windows.map((w) => ({ id: w.id, plannedStart: iso(w.plannedStart), plannedEnd: iso(w.plannedEnd), actualEnd: w.actualEnd ? iso(w.actualEnd) : null, emergency: w.emergency ?? false })),
    exclusions: args.inputs.exclusions.map((x) => ({ id: x.id, start: iso(x.start), end: iso(x.end), reason: x.reason, note: x.note, author: publicAuthor(x.author), recordedAt: x.recordedAt })),
    figures: args.figures,
  };
}

/**
 * Statements are public: who recorded an exclusion is named by role, never by
 * e-mail address (the audit log keeps the person). Applied when a statement is
 * built, and to statements frozen before this rule when they are served.
 */
export function publicAuthor(author: string): string {
  return author.includes('@') ? 'operator' : author;
}

/** SHA-256 of the statement's canonical JSON (keys sorted at every level). */
export function contentHash(statement: Statement): string {
  return createHash('sha256').update(canonicalJson(statement)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
