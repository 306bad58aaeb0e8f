import { translator, type ConsoleLanguage } from './console-i18n/index.ts';
import { apiErrors } from './console-i18n/api-errors.ts';

type Key = keyof (typeof apiErrors)['en'];

/**
 * A refusal as the API sent it (`{ error: { code, message, details } }`), or
 * one the console wrote itself in its own language (no code).
 */
export type ApiProblem = { code?: string; message: string; details?: unknown };

/** What the operator reads: `text` in `lang` (the console's unless said), and the API's English words beside it for support. */
export type ExplainedProblem = { text: string; lang?: 'en'; english?: string };

/** The keys for an unknown thing, by the `kind` the API names: one id, and several where the API may name more. */
export const UNKNOWN_KEYS: Record<string, { one: Key; other?: Key }> = {
  component: { one: 'unknownComponent', other: 'unknownComponents' },
  organisation: { one: 'unknownOrganisation', other: 'unknownOrganisations' },
  page: { one: 'unknownPage' },
  incident: { one: 'unknownIncident' },
  window: { one: 'unknownWindow' },
  exclusion: { one: 'unknownExclusion' },
  user: { one: 'unknownUser' },
};

/** The keys for the API's named problems (`details.problem`, or a refused field's). */
export const PROBLEM_KEYS: Record<string, Key> = {
  stale_version: 'staleVersion',
  concurrent_change: 'concurrentChange',
  resolved: 'incidentResolved',
  not_in_incident: 'notInIncident',
  invalid_time: 'invalidTime',
  invalid_zone: 'invalidZone',
};

/** The error in an API answer's body, kept whole so the page can say it in the console's language. */
export function apiProblem(body: unknown): ApiProblem {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (!error || typeof error.message !== 'string') return { code: 'INTERNAL', message: 'the request failed' };
  return { ...(typeof error.code === 'string' ? { code: error.code } : {}), message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) };
}

type Details = { kind?: unknown; id?: unknown; ids?: unknown; problem?: unknown; version?: unknown; fields?: unknown };
const quoted = (ids: readonly unknown[]) => ids.map((id) => `“${String(id)}”`).join(', ');

/** The catalogue key and its values for a refusal the console knows, else undefined. */
function known(details: Details): { key: Key; values: Record<string, string | number> } | undefined {
  const ids = Array.isArray(details.ids) ? details.ids : typeof details.id === 'string' ? [details.id] : [];
  const unknownKind = typeof details.kind === 'string' ? UNKNOWN_KEYS[details.kind] : undefined;
  if (unknownKind && ids.length > 0) return { key: ids.length > 1 && unknownKind.other ? unknownKind.other : unknownKind.one, values: { names: quoted(ids) } };
  const named = typeof details.problem === 'string' ? PROBLEM_KEYS[details.problem] : undefined;
  if (named) return { key: named, values: { names: quoted(ids), version: typeof details.version === 'number' ? details.version : '?' } };
  // a request the schema refused: said in the console's words only when every field's problem is one it knows, and the same
  const fields = Array.isArray(details.fields) ? (details.fields as { field?: unknown; problem?: unknown }[]) : [];
  const problems = new Set(fields.map((f) => f.problem));
  const only = problems.size === 1 ? PROBLEM_KEYS[String([...problems][0])] : undefined;
  if (only) return { key: only, values: { fields: fields.map((f) => String(f.field)).join(', ') } };
  return undefined;
}

/**
 * A refusal in the console's language. The API's own words are English: a
 * refusal the console knows by its code and details is said in the
 * console's language with the English kept beside it; one it does not know
 * is shown as the API wrote it, marked English. In the English console the
 * API's words stand alone, being the fuller of the two (they name what
 * exists, or how to list it).
 *
 * @example explainProblem({ code: 'NOT_FOUND', message: 'no component "x"', details: { kind: 'component', id: 'x' } }, 'da')
 * // → { text: 'Ingen komponent hedder “x”.', english: 'no component "x"' }
 */
export function explainProblem(problem: string | ApiProblem, language: ConsoleLanguage): ExplainedProblem {
  if (typeof problem === 'string' || problem.code === undefined) return { text: typeof problem === 'string' ? problem : problem.message };
  if (language === 'en') return { text: problem.message };
  const found = problem.details && typeof problem.details === 'object' ? known(problem.details as Details) : undefined;
  if (!found) return { text: problem.message, lang: 'en' };
  return { text: translator(apiErrors, language)(found.key, found.values), english: problem.message };
}
