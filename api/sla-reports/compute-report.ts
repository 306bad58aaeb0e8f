import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { localize, type LocalizedText } from '../../config/index.ts';
import { inList, rowChunks, rowsOf, tables, type Database } from '../../db/index.ts';
import { DomainError } from '../http/errors.ts';
import { computeAvailability, coveredIntervals, FIGURE_RULES, mergeStates, monthsOf, parsePeriod, type AvailabilityFigures, type Period, type StateInterval } from '../sla/index.ts';
import { toEngineProfile, type EngineProfile } from './engine-profile.ts';
import { loadInputs, type ComponentInputs } from './load-inputs.ts';
import { loadThirdPartyDowntime, type ThirdPartyDowntime } from './third-party-downtime.ts';
import { buildStatement, contentHash, publicAuthor, type Statement, type StatementScope } from './statement.ts';

export type ReportStatus = 'preliminary' | 'final';

export type ReportLine = {
  scope: 'component' | 'category';
  id: string;
  /** In English, for the CSV and older readers; `names` holds every language. */
  name: string;
  names: LocalizedText;
  profileId: string;
  category: string | null;
  status: ReportStatus;
  figures: AvailabilityFigures;
  /** Per month: its status and, when final, the frozen statement's version and hash. */
  months: { key: string; status: ReportStatus; measured: boolean; version: number | null; contentSha256: string | null }[];
  /** Any of its components had a measured state in the period; a month before monitoring began is "not measured", whatever its status. */
  measured: boolean;
  /** A component with dependsOn: its downtime that fell while a dependency was in trouble (part of `figures.downSeconds`); null otherwise. */
  thirdParty?: ThirdPartyDowntime | null;
};

/** An exclusion that touches the period, with the note that explains it (who recorded it is not public). */
export type ReportExclusion = { id: string; componentIds: string[]; start: string; end: string; reason: string; note: string };

export type PageReport = {
  page: { id: string; name: LocalizedText };
  period: { key: string; kind: Period['kind'] };
  status: ReportStatus;
  generatedAt: string;
  components: ReportLine[];
  categories: ReportLine[];
  /** Any component was measured in the period. */
  measured: boolean;
  exclusions: ReportExclusion[];
  /** The rule that produced each figure. */
  rules: typeof FIGURE_RULES;
  /** All components together: their seconds summed, each counted in its own coverage. */
  total: Pick<AvailabilityFigures, 'potentialSeconds' | 'downSeconds' | 'availableSeconds' | 'availability'>;
};


export type Member = { id: string; name: LocalizedText; category: string | null; profile: EngineProfile };

/** The first year a report may cover: nothing before it can have been measured by this system. */
export const FIRST_REPORT_YEAR = 2000;

/** Refuses a period that is not a key, or lies before FIRST_REPORT_YEAR or after next year, with a 400 that says so. */
function checkedPeriodKey(periodKey: string, now: Date): void {
  const period = parsePeriod(periodKey, 'UTC');
  if (!period) throw new DomainError('VALIDATION', `"${periodKey}" is not a period; use YYYY-MM (month), YYYY-Tn (tertial, n = 1–3) or YYYY (year)`);
  const year = Number(periodKey.slice(0, 4));
  const last = now.getUTCFullYear() + 1;
  if (year < FIRST_REPORT_YEAR || year > last) throw new DomainError('VALIDATION', `"${periodKey}" is outside the years reports cover (${FIRST_REPORT_YEAR}–${last})`);
}

/**
 * A page's SLA report for a month (`2026-03`), a tertial (`2026-T1`) or a year
 * (`2026`). A month is preliminary until the profile's due day of the next
 * month, then final: its figures are frozen as statements on first use and
 * served from them afterwards. Longer periods add up their months.
 */
export async function computePageReport(db: Database, args: { pageId: string; periodKey: string; now: Date; readOnly?: boolean }): Promise<PageReport> {
  checkedPeriodKey(args.periodKey, args.now);
  const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, args.pageId), isNull(tables.statusPages.retiredAt)));
  if (!page) throw new DomainError('NOT_FOUND', `no status page "${args.pageId}"`, { kind: 'page', id: args.pageId });
  const members = await loadMembers(db, page.id);
  const firstStates = await firstStateTimes(db, members.map((m) => m.id));
  const measuredBefore = (ids: readonly string[], endMs: number) => ids.some((id) => (firstStates.get(id) ?? Infinity) < endMs);

  const lines: ReportLine[] = [];
  for (const [profileId, group] of groupBy(members, (m) => m.profile.id)) {
    const profile = group[0]!.profile;
    const months = monthsOf(parsePeriod(args.periodKey, profile.timeZone)!);
    const scopes = scopesOf(group, profile);
    const perMonth: { month: Period; status: ReportStatus; statements: Map<string, MonthFigures> }[] = [];
    for (const month of months) {
      const status = monthStatus(month, profile, args.now);
      const statements = status === 'final' ? await frozenMonth(db, { scopes, month, profile, now: args.now, readOnly: args.readOnly === true }) : await liveMonth(db, { scopes, month, profile, now: args.now });
      perMonth.push({ month, status, statements });
    }
    for (const scope of scopesOf(group, profile)) {
      const parts = perMonth.map((m) => ({ ...m, entry: m.statements.get(keyOf(scope))! }));
      const member = group.find((m) => m.id === scope.id);
      const category = profile.categories.find((c) => (scope.kind === 'category' ? `${profile.id}.${c.id}` === scope.id || c.id === scope.id : c.id === member?.category));
      const names = (scope.kind === 'component' ? member!.name : (category?.name ?? scope.id)) as LocalizedText;
      const monthMeasured = parts.map((p) => measuredBefore(componentIdsOf([scope]), p.month.interval.end));
      lines.push({
        scope: scope.kind,
        id: scope.id,
        name: localize(names, 'en'),
        names,
        profileId,
        category: category?.id ?? null,
        status: parts.every((p) => p.status === 'final') ? 'final' : 'preliminary',
        figures: addFigures(parts.map((p) => p.entry.figures), profile.target),
        months: parts.map((p, i) => ({ key: p.month.key, status: p.status, measured: monthMeasured[i]!, version: p.entry.version, contentSha256: p.entry.hash })),
        measured: monthMeasured.some(Boolean),
        thirdParty: null,
      });
    }
  }
  const components = lines.filter((l) => l.scope === 'component');
  const attributed = await loadThirdPartyDowntime(db, { members, periodKey: args.periodKey, now: args.now });
  for (const line of components) line.thirdParty = attributed.get(line.id) ?? null;
  const potential = components.reduce((n, l) => n + l.figures.potentialSeconds, 0);
  const down = components.reduce((n, l) => n + l.figures.downSeconds, 0);
  return {
    page: { id: page.id, name: page.name as LocalizedText },
    period: { key: args.periodKey, kind: parsePeriod(args.periodKey, 'UTC')!.kind },
    status: lines.every((l) => l.status === 'final') ? 'final' : 'preliminary',
    generatedAt: args.now.toISOString(),
    components,
    categories: lines.filter((l) => l.scope === 'category'),
    measured: components.some((l) => l.measured),
    exclusions: await loadExclusions(db, { componentIds: members.map((m) => m.id), interval: parsePeriod(args.periodKey, page.timeZone)!.interval }),
    rules: FIGURE_RULES,
    total: { potentialSeconds: potential, downSeconds: down, availableSeconds: potential - down, availability: potential > 0 ? (potential - down) / potential : null },
  };
}

export type ExportedStatement = { status: ReportStatus; version: number | null; contentSha256: string; document: Statement };

/**
 * One statement as a self-contained document, for a component (`component`,
 * its id) or a service category (`category`, `profile.category`) and a period.
 * A final month is exported as its frozen version (frozen now if it was not
 * yet); other periods are computed from the stored data.
 */
export async function exportStatement(db: Database, args: { scope: 'component' | 'category'; id: string; periodKey: string; now: Date; readOnly?: boolean }): Promise<ExportedStatement> {
  checkedPeriodKey(args.periodKey, args.now);
  const rows = await db
    .select({ id: tables.components.id, category: tables.components.serviceCategory, profileId: tables.components.slaProfileId, spec: tables.slaProfiles.spec })
    .from(tables.components)
    .innerJoin(tables.slaProfiles, eq(tables.slaProfiles.id, tables.components.slaProfileId))
    .where(and(isNull(tables.components.retiredAt), isNull(tables.slaProfiles.retiredAt)));
  const [profileId, categoryId] = args.scope === 'category' ? args.id.split('.') : [];
  const members = args.scope === 'component' ? rows.filter((r) => r.id === args.id) : rows.filter((r) => r.profileId === profileId && r.category === categoryId);
  if (members.length === 0) {
    throw new DomainError('NOT_FOUND', args.scope === 'component' ? `no component "${args.id}" with an SLA profile` : `no category "${args.id}" (write it as PROFILE.CATEGORY) with components`);
  }
  const profile = toEngineProfile(members[0]!.spec as never);
  const period = parsePeriod(args.periodKey, profile.timeZone);
  if (!period) throw new DomainError('VALIDATION', `"${args.periodKey}" is not a period; use YYYY-MM (month), YYYY-Tn (tertial, n = 1–3) or YYYY (year)`);
  const scope: StatementScope = args.scope === 'component' ? { kind: 'component', id: args.id } : { kind: 'category', id: args.id, profileId: profile.id, componentIds: members.map((m) => m.id) };
  const status: ReportStatus = monthsOf(period).every((m) => monthStatus(m, profile, args.now) === 'final') ? 'final' : 'preliminary';
  if (period.kind === 'month' && status === 'final') {
    await frozenMonth(db, { scopes: [scope], month: period, profile, now: args.now, readOnly: args.readOnly === true });
    const stored = await latestStatement(db, scope, period.key);
    if (stored) {
      const document = stored.document as Statement;
      return { status, version: stored.version, contentSha256: stored.contentSha256, document: { ...document, exclusions: document.exclusions.map((x) => ({ ...x, author: publicAuthor(x.author) })) } };
    }
  }
  const inputs = await loadInputs(db, { componentIds: componentIdsOf([scope]), span: period.interval, now: args.now });
  // a period under way is stated up to now, as its report measures it: the document's period says so, and verifying it recomputes
  // the same. One not begun keeps its whole span (a period is never empty), with nothing measured in it.
  const nowMs = args.now.getTime();
  const end = nowMs > period.interval.start ? Math.min(period.interval.end, nowMs) : period.interval.end;
  const document = statementFor({ scope, month: { ...period, interval: { start: period.interval.start, end } }, profile, inputs });
  return { status, version: null, contentSha256: contentHash(document), document };
}

/**
 * Recomputes the frozen months of a page in `periodKey` after a change to
 * windows or exclusions of `componentIds`, and adds a new version, with the
 * reason, for every statement of those components (and of the categories
 * holding them) whose figures changed. The measured states stay as frozen:
 * late results reach a final month only through their own version (see
 * reviseLateResults), so a reason always names what changed for that
 * statement. Returns the statements revised.
 */
export async function reviseFrozenStatements(db: Database, args: { pageId: string; periodKey: string; componentIds: readonly string[]; reason: string; now: Date }): Promise<{ scope: string; id: string; month: string; version: number }[]> {
  if (args.reason.trim().length < 3) throw new DomainError('VALIDATION', 'a revision of a frozen month needs a reason');
  const touched = new Set(args.componentIds);
  const members = await loadMembers(db, args.pageId);
  const revised: { scope: string; id: string; month: string; version: number }[] = [];
  for (const [, group] of groupBy(members, (m) => m.profile.id)) {
    const profile = group[0]!.profile;
    const scopes = scopesOf(group, profile).filter((scope) => componentIdsOf([scope]).some((id) => touched.has(id)));
    if (scopes.length === 0) continue;
    for (const month of monthsOf(parsePeriod(args.periodKey, profile.timeZone)!)) {
      if (monthStatus(month, profile, args.now) !== 'final') continue;
      const inputs = await loadInputs(db, { componentIds: componentIdsOf(scopes), span: month.interval, now: args.now });
      for (const scope of scopes) {
        const latest = await latestStatement(db, scope, month.key);
        if (!latest) continue; // never frozen: it freezes with today's data on first use
        const statement = statementFor({ scope, month, profile, inputs, states: frozenStates(latest.document as Statement) });
        const hash = contentHash(statement);
        if (hash === latest.contentSha256) continue;
        await db.insert(tables.slaStatements).values({ scope: scope.kind, scopeId: scope.id, periodKey: month.key, version: latest.version + 1, document: statement, contentSha256: hash, reason: args.reason, createdAt: args.now });
        revised.push({ scope: scope.kind, id: scope.id, month: month.key, version: latest.version + 1 });
      }
    }
  }
  return revised;
}

/** The measured states a frozen statement was computed from. */
export function frozenStates(statement: Pick<Statement, 'states'>): StateInterval[] {
  return statement.states.map((s) => ({ state: s.state as StateInterval['state'], start: Date.parse(s.start), end: Date.parse(s.end) }));
}

/**
 * Freezes every final month of every page that has no statements yet, from
 * the month its first component was measured in to last month, so no reader
 * waits for them to be computed (public reads never freeze). Last month is
 * always looked at: it turns final on its due day. A month missed while the
 * server was stopped over its due day is frozen at the next start. Returns
 * the pages with a month frozen now.
 */
export async function freezeDueMonths(db: Database, now: Date): Promise<string[]> {
  const pages = await db.select({ id: tables.statusPages.id, timeZone: tables.statusPages.timeZone }).from(tables.statusPages).where(isNull(tables.statusPages.retiredAt));
  const frozen: string[] = [];
  for (const page of pages) {
    const memberIds = (await loadMembers(db, page.id)).map((m) => m.id);
    const first = Math.min(...(await firstStateTimes(db, memberIds)).values());
    if (!Number.isFinite(first)) continue; // nothing measured: nothing to freeze
    const lastMonth = DateTime.fromJSDate(now, { zone: page.timeZone }).minus({ months: 1 }).startOf('month');
    const withStatements = await monthsWithStatements(db, memberIds);
    let frozeAny = false;
    for (let month = DateTime.fromMillis(first, { zone: page.timeZone }).startOf('month'); month <= lastMonth; month = month.plus({ months: 1 })) {
      const key = month.toFormat('yyyy-MM');
      if (withStatements.has(key) && +month !== +lastMonth) continue;
      const before = await statementCount(db, key);
      const report = await computePageReport(db, { pageId: page.id, periodKey: key, now });
      if (report.components.length > 0 && (await statementCount(db, key)) > before) frozeAny = true;
    }
    if (frozeAny) frozen.push(page.id);
  }
  return frozen;
}

/** The months any of the components has a statement for. */
async function monthsWithStatements(db: Database, componentIds: string[]): Promise<Set<string>> {
  if (componentIds.length === 0) return new Set();
  const s = tables.slaStatements;
  const rows = await db.selectDistinct({ key: s.periodKey }).from(s).where(and(eq(s.scope, 'component'), inList(s.scopeId, componentIds)));
  return new Set(rows.map((r) => r.key));
}

async function statementCount(db: Database, periodKey: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(tables.slaStatements).where(eq(tables.slaStatements.periodKey, periodKey));
  return Number(row?.n ?? 0);
}

/** A month is final from 00:00 on the profile's due day of the following month, local time. */
export function monthStatus(month: Period, profile: Pick<EngineProfile, 'reportDueDay'>, now: Date): ReportStatus {
  const due = DateTime.fromMillis(month.interval.end, { zone: month.timeZone }).plus({ days: profile.reportDueDay - 1 });
  return now.getTime() >= due.toMillis() ? 'final' : 'preliminary';
}

type StatementArgs = {
  scope: StatementScope;
  month: Period;
  profile: EngineProfile;
  inputs: Map<string, ComponentInputs>;
  states?: StateInterval[];
  /** A month not over yet is measured up to here (ms): the rest has not happened, so it is neither unmeasured nor down. */
  until?: number;
};

/** A scope's statement for a month from the loaded inputs; `states` replaces the measured states (a frozen statement's, kept through a revision). */
export function statementFor(args: StatementArgs): Statement {
  const { scope, month, profile } = args;
  const { inputs, covered, figures } = measure(args);
  return buildStatement({
    scope,
    period: month,
    profile: { id: profile.id, name: profile.name, target: profile.target, unmeasured: profile.unmeasured },
    coverage: { definition: profile.coverage, closedDays: covered.closedDays },
    inputs,
    figures,
  });
}

/**
 * A scope's figures alone, as its statement would hold them: a report of a month not frozen needs no
 * statement, and writing every state of a month out as text cost more than the figures themselves.
 */
function figuresFor(args: StatementArgs): AvailabilityFigures {
  return measure(args).figures;
}

function measure(args: StatementArgs) {
  const { scope, month, profile } = args;
  const memberIds = scope.kind === 'component' ? [scope.id] : scope.componentIds;
  const members = memberIds.map((id) => args.inputs.get(id)!);
  const merged: ComponentInputs =
    scope.kind === 'component'
      ? members[0]!
      : {
          states: mergeStates(members.map((m) => m.states), month.interval),
          windows: uniqueById(members.flatMap((m) => m.windows)),
          exclusions: uniqueById(members.flatMap((m) => m.exclusions)),
        };
  const inputs: ComponentInputs = args.states ? { ...merged, states: args.states } : merged;
  const period = args.until !== undefined && args.until < month.interval.end ? { start: month.interval.start, end: Math.max(month.interval.start, args.until) } : month.interval;
  const covered = coveredIntervals({ coverage: profile.coverage, timeZone: profile.timeZone, period });
  const figures = computeAvailability({
    states: inputs.states,
    covered: covered.intervals,
    windows: inputs.windows,
    exclusions: inputs.exclusions,
    period,
    target: profile.target,
    unmeasured: profile.unmeasured,
  });
  return { inputs, covered, figures };
}

export type MonthFigures = { figures: AvailabilityFigures; version: number | null; hash: string | null };

/** A preliminary month: computed from the stored states, nothing frozen. */
async function liveMonth(db: Database, args: { scopes: StatementScope[]; month: Period; profile: EngineProfile; now: Date }): Promise<Map<string, MonthFigures>> {
  const inputs = await loadInputs(db, { componentIds: componentIdsOf(args.scopes), span: args.month.interval, now: args.now });
  return new Map(args.scopes.map((scope) => [keyOf(scope), { figures: figuresFor({ scope, month: args.month, profile: args.profile, inputs, until: args.now.getTime() }), version: null, hash: null }]));
}

/**
 * A final month: the frozen statements' figures, one query for all scopes.
 * Scopes not frozen yet are computed and frozen now, in one insert; when two
 * processes freeze at once, the unique index keeps the first and both serve it.
 */
export async function frozenMonth(db: Database, args: { scopes: StatementScope[]; month: Period; profile: EngineProfile; now: Date; readOnly: boolean }): Promise<Map<string, MonthFigures>> {
  const stored = await latestStatements(db, args.scopes, args.month.key);
  const missing = args.scopes.filter((scope) => !stored.has(keyOf(scope)));
  if (missing.length === 0) return stored;
  const inputs = await loadInputs(db, { componentIds: componentIdsOf(missing), span: args.month.interval, now: args.now });
  // a read never writes, and a month before monitoring began is "not measured", never frozen: both are computed and shown, not stored
  const measured = await measuredComponents(db, { componentIds: componentIdsOf(missing), before: new Date(args.month.interval.end) });
  const freezable = args.readOnly ? [] : missing.filter((scope) => componentIdsOf([scope]).some((id) => measured.has(id)));
  for (const scope of missing.filter((s) => !freezable.includes(s))) {
    stored.set(keyOf(scope), { figures: figuresFor({ scope, month: args.month, profile: args.profile, inputs }), version: null, hash: null });
  }
  if (freezable.length === 0) return stored;
  const rows = freezable.map((scope) => {
    const statement = statementFor({ scope, month: args.month, profile: args.profile, inputs });
    return { scope: scope.kind, scopeId: scope.id, periodKey: args.month.key, version: 1, document: statement, contentSha256: contentHash(statement), createdAt: args.now };
  });
  for (const chunk of rowChunks(tables.slaStatements, rows)) await db.insert(tables.slaStatements).values(chunk).onConflictDoNothing();
  for (const [key, value] of await latestStatements(db, freezable, args.month.key)) stored.set(key, value);
  return stored;
}

/** The components with any state before `before`: measured by then. */
async function measuredComponents(db: Database, args: { componentIds: string[]; before: Date }): Promise<Set<string>> {
  if (args.componentIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: tables.stateIntervals.componentId })
    .from(tables.stateIntervals)
    .where(and(inList(tables.stateIntervals.componentId, args.componentIds), lt(tables.stateIntervals.startedAt, args.before)));
  return new Set(rows.map((r) => r.id));
}

/**
 * When each component's first measured state began; components never measured are missing. One index
 * read per component (its earliest row), so the cost stays with the number of components, not with the
 * history behind them.
 */
async function firstStateTimes(db: Database, componentIds: string[]): Promise<Map<string, number>> {
  if (componentIds.length === 0) return new Map();
  const s = tables.stateIntervals;
  const rows = rowsOf<{ id: string; first_ms: number | string }>(
    await db.execute(sql`
      select w.id, first.ms as first_ms
      from jsonb_array_elements_text(${JSON.stringify(componentIds)}::jsonb) as w(id)
      cross join lateral (select floor(extract(epoch from ${s.startedAt}) * 1000) as ms from ${s} where ${s.componentId} = w.id order by ${s.startedAt} limit 1) first`),
  );
  return new Map(rows.map((r) => [r.id, Number(r.first_ms)]));
}

/** The exclusions in force over the interval for any of the components, oldest first. */
async function loadExclusions(db: Database, args: { componentIds: string[]; interval: { start: number; end: number } }): Promise<ReportExclusion[]> {
  if (args.componentIds.length === 0) return [];
  const x = tables.exclusions;
  const rows = await db
    .select()
    .from(x)
    .where(
      and(
        isNull(x.revokedAt),
        lt(x.startAt, new Date(args.interval.end)),
        sql`${x.endAt} > ${new Date(args.interval.start).toISOString()}::timestamptz`,
        // component ids are config identifiers (letters, digits, - and _), safe inside an array literal
        sql`${x.componentIds} && ${`{${args.componentIds.join(',')}}`}::text[]`,
      ),
    )
    .orderBy(asc(x.startAt));
  const own = new Set(args.componentIds);
  return rows.map((r) => ({ id: r.id, componentIds: r.componentIds.filter((id) => own.has(id)), start: r.startAt.toISOString(), end: r.endAt.toISOString(), reason: r.reason, note: r.note }));
}

/** The latest version of each scope's statement for a month: its figures, version and hash. */
async function latestStatements(db: Database, scopes: StatementScope[], periodKey: string): Promise<Map<string, MonthFigures>> {
  const wanted = JSON.stringify(scopes.map((scope) => ({ scope: scope.kind, scope_id: scope.id })));
  const rows = rowsOf<{ scope: string; scope_id: string; version: number; content_sha256: string; figures: AvailabilityFigures | string }>(
    await db.execute(sql`
      select distinct on (s.scope, s.scope_id) s.scope, s.scope_id, s.version, s.content_sha256, s.figures
      from jsonb_to_recordset(${wanted}::jsonb) as w(scope text, scope_id text)
      join sla_statements s on s.scope = w.scope and s.scope_id = w.scope_id and s.period_key = ${periodKey}
      order by s.scope, s.scope_id, s.version desc`),
  );
  return new Map(
    rows.map((r) => [`${r.scope}:${r.scope_id}`, { figures: typeof r.figures === 'string' ? (JSON.parse(r.figures) as AvailabilityFigures) : r.figures, version: r.version, hash: r.content_sha256 }]),
  );
}

export function componentIdsOf(scopes: StatementScope[]): string[] {
  return [...new Set(scopes.flatMap((scope) => (scope.kind === 'component' ? [scope.id] : scope.componentIds)))];
}

export async function latestStatement(db: Database, scope: StatementScope, periodKey: string) {
  const s = tables.slaStatements;
  const [row] = await db
    .select()
    .from(s)
    .where(and(eq(s.scope, scope.kind), eq(s.scopeId, scope.id), eq(s.periodKey, periodKey)))
    .orderBy(desc(s.version))
    .limit(1);
  return row;
}

export async function loadMembers(db: Database, pageId: string): Promise<Member[]> {
  const rows = await db
    .select({ id: tables.components.id, name: tables.components.name, category: tables.components.serviceCategory, spec: tables.slaProfiles.spec })
    .from(tables.components)
    .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
    .innerJoin(tables.slaProfiles, eq(tables.slaProfiles.id, tables.components.slaProfileId))
    .where(and(eq(tables.componentGroups.pageId, pageId), isNull(tables.components.retiredAt), isNull(tables.slaProfiles.retiredAt)))
    .orderBy(asc(tables.componentGroups.position), asc(tables.components.position));
  return rows.map((r) => ({ id: r.id, name: r.name as LocalizedText, category: r.category, profile: toEngineProfile(r.spec as never) }));
}

export function scopesOf(group: Member[], profile: EngineProfile): StatementScope[] {
  const components: StatementScope[] = group.map((m) => ({ kind: 'component', id: m.id }));
  const categories: StatementScope[] = profile.categories
    .map((c) => ({ kind: 'category' as const, id: `${profile.id}.${c.id}`, profileId: profile.id, componentIds: group.filter((m) => m.category === c.id).map((m) => m.id) }))
    .filter((c) => c.componentIds.length > 0);
  return [...components, ...categories];
}

export const keyOf = (scope: StatementScope) => `${scope.kind}:${scope.id}`;

/** Figures of consecutive periods added up: seconds summed, ratios recomputed. */
export function addFigures(parts: readonly AvailabilityFigures[], target: number | null): AvailabilityFigures {
  const sum = (pick: (f: AvailabilityFigures) => number) => parts.reduce((n, f) => n + pick(f), 0);
  const potentialSeconds = sum((f) => f.potentialSeconds);
  const downSeconds = sum((f) => f.downSeconds);
  const availability = potentialSeconds > 0 ? (potentialSeconds - downSeconds) / potentialSeconds : null;
  const byReason: AvailabilityFigures['excludedSecondsByReason'] = {};
  for (const f of parts) for (const [reason, seconds] of Object.entries(f.excludedSecondsByReason)) byReason[reason as keyof typeof byReason] = (byReason[reason as keyof typeof byReason] ?? 0) + (seconds ?? 0);
  const errorBudgetSeconds = target === null ? 0 : (1 - target) * potentialSeconds;
  return {
    potentialSeconds,
    availableSeconds: potentialSeconds - downSeconds,
    downSeconds,
    coveredSeconds: sum((f) => f.coveredSeconds),
    windowSeconds: sum((f) => f.windowSeconds),
    overrunSeconds: sum((f) => f.overrunSeconds),
    excludedSeconds: sum((f) => f.excludedSeconds),
    excludedSecondsByReason: byReason,
    degradedSeconds: sum((f) => f.degradedSeconds),
    unmeasuredSeconds: sum((f) => f.unmeasuredSeconds),
    availability,
    target,
    met: target === null || availability === null ? null : availability >= target,
    errorBudgetSeconds,
    errorBudgetLeftSeconds: target === null ? 0 : errorBudgetSeconds - downSeconds,
  };
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}

