import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { rowsOf, tables, type Database } from '../../db/index.ts';
import { parsePeriod, type AvailabilityFigures, type Period } from '../sla/index.ts';
import { componentIdsOf, frozenMonth, groupBy, keyOf, loadMembers, monthStatus, scopesOf, statementFor } from './compute-report.ts';
import type { EngineProfile } from './engine-profile.ts';
import { loadInputs } from './load-inputs.ts';
import { canonicalJson, contentHash, type Statement, type StatementScope } from './statement.ts';

/** Every revision made because of late results says so first; the sweep also finds the last such version by it. */
export const LATE_RESULTS_REASON = 'late results';

/** How far back the sweep looks: a probe's buffer does not hold results older than this. */
const MONTHS_BACK = 12;

/** Results of a final month that arrived after its measured states were taken. */
export type LateArrivals = { count: number; firstReceivedAt: number; lastReceivedAt: number };

/**
 * Late results are folded in once the newest of them is `graceHours` old, so a
 * probe replaying its backlog over a day makes one version, not one an hour.
 */
export function lateRevisionDue(args: { arrivals: LateArrivals | undefined; now: number; graceHours: number }): boolean {
  if (!args.arrivals || args.arrivals.count === 0) return false;
  return args.now - args.arrivals.lastReceivedAt >= args.graceHours * 3_600_000;
}

/** The reason of a late-results version: what arrived, when, and what it changed. */
export function describeLateResults(args: { monthKey: string; arrivals: LateArrivals; before: AvailabilityFigures; after: AvailabilityFigures }): string {
  const { arrivals, before, after } = args;
  const at = (ms: number) => new Date(ms).toISOString();
  const received = arrivals.firstReceivedAt === arrivals.lastReceivedAt ? `received ${at(arrivals.firstReceivedAt)}` : `received ${at(arrivals.firstReceivedAt)} to ${at(arrivals.lastReceivedAt)}`;
  const change = (name: string, from: number, to: number) => `${name} ${Math.round(from)} s → ${Math.round(to)} s`;
  return `${LATE_RESULTS_REASON}: ${arrivals.count} ${arrivals.count === 1 ? 'result' : 'results'} measured in ${args.monthKey}, ${received}, after the statement was made; ${change('potential', before.potentialSeconds, after.potentialSeconds)}, ${change('down', before.downSeconds, after.downSeconds)}, ${change('unmeasured', before.unmeasuredSeconds, after.unmeasuredSeconds)}`;
}

export type LateRevision = { scope: string; id: string; month: string; version: number; reason: string };

/**
 * Finds final months whose measured states no longer match their frozen
 * statements (the raw results are read only then), and, once the profile's
 * grace has passed since the newest late result, adds a version
 * of each statement they change, with the reason "late results" and the counts.
 * A final month not frozen because nothing was measured is frozen once late
 * results make it measured. Run by the background work; pages are revised
 * under the same lock as windows and exclusions, so two processes never write
 * one version twice.
 */
export async function reviseLateResults(db: Database, args: { now: Date }): Promise<{ revised: LateRevision[]; frozen: { pageId: string; month: string }[] }> {
  const pages = await db.select({ id: tables.statusPages.id }).from(tables.statusPages).where(isNull(tables.statusPages.retiredAt)).orderBy(asc(tables.statusPages.id));
  const revised: LateRevision[] = [];
  const frozen: { pageId: string; month: string }[] = [];
  for (const page of pages) {
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Database;
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`statusvakt:revise:${page.id}`}))`);
      const members = await loadMembers(tx, page.id);
      for (const [, group] of groupBy(members, (m) => m.profile.id)) {
        const profile = group[0]!.profile;
        const scopes = scopesOf(group, profile);
        for (const month of finalMonths(profile, args.now)) {
          const outcome = await reviseMonth(tx, { scopes, month, profile, now: args.now });
          revised.push(...outcome.revised);
          if (outcome.frozen) frozen.push({ pageId: page.id, month: month.key });
        }
      }
    });
  }
  return { revised, frozen };
}

/** The final months of the last MONTHS_BACK, newest first. */
function finalMonths(profile: EngineProfile, now: Date): Period[] {
  const thisMonth = DateTime.fromJSDate(now, { zone: profile.timeZone }).startOf('month');
  const months: Period[] = [];
  for (let i = 1; i <= MONTHS_BACK; i++) {
    const month = parsePeriod(thisMonth.minus({ months: i }).toFormat('yyyy-MM'), profile.timeZone);
    if (month && monthStatus(month, profile, now) === 'final') months.push(month);
  }
  return months;
}

type StoredVersion = { scope: string; scopeId: string; version: number; reason: string | null; createdAt: Date; contentSha256: string; document: unknown };

async function reviseMonth(db: Database, args: { scopes: StatementScope[]; month: Period; profile: EngineProfile; now: Date }): Promise<{ revised: LateRevision[]; frozen: boolean }> {
  const { scopes, month, profile, now } = args;
  const s = tables.slaStatements;
  const versions: StoredVersion[] = await db
    .select({ scope: s.scope, scopeId: s.scopeId, version: s.version, reason: s.reason, createdAt: s.createdAt, contentSha256: s.contentSha256, document: s.document })
    .from(s)
    .where(and(eq(s.periodKey, month.key), inArray(s.scopeId, scopes.map((x) => x.id))))
    .orderBy(asc(s.version));
  const byScope = groupBy(versions, (v) => `${v.scope}:${v.scopeId}`);
  // the measured states of a statement date from its first version or its last late-results version (window revisions keep them)
  const statesTakenAt = (key: string) => {
    const taken = (byScope.get(key) ?? []).filter((v) => v.reason === null || v.reason.startsWith(LATE_RESULTS_REASON));
    return taken.at(-1)?.createdAt ?? null;
  };
  // cheap first: only a scope whose measured states now differ from its frozen ones (or a never-frozen scope now measured) can have late results to fold in
  const inputs = await loadInputs(db, { componentIds: componentIdsOf(scopes), span: month.interval, now });
  const current = new Map(scopes.map((scope) => [keyOf(scope), statementFor({ scope, month, profile, inputs })]));
  const changed = scopes.filter((scope) => {
    const latest = byScope.get(keyOf(scope))?.at(-1);
    const states = current.get(keyOf(scope))!.states;
    return latest ? canonicalJson(states) !== canonicalJson((latest.document as Statement).states) : states.length > 0;
  });
  if (changed.length === 0) return { revised: [], frozen: false };
  const arrivals = await lateArrivals(db, {
    month,
    // a scope never frozen counts every result of the month: the newest decides when it may be frozen
    wanted: changed.flatMap((scope) => componentIdsOf([scope]).map((componentId) => ({ key: keyOf(scope), componentId, takenAt: statesTakenAt(keyOf(scope)) ?? new Date(0) }))),
  });
  const due = changed.filter((scope) => lateRevisionDue({ arrivals: arrivals.get(keyOf(scope)), now: now.getTime(), graceHours: profile.lateResultsGraceHours }));
  if (due.length === 0) return { revised: [], frozen: false };

  const unfrozen = due.filter((scope) => !byScope.has(keyOf(scope)));
  let frozen = false;
  if (unfrozen.length > 0) {
    const made = await frozenMonth(db, { scopes: unfrozen, month, profile, now, readOnly: false });
    frozen = unfrozen.some((scope) => made.get(keyOf(scope))?.version !== null);
  }
  const revised: LateRevision[] = [];
  for (const scope of due.filter((x) => byScope.has(keyOf(x)))) {
    const latest = byScope.get(keyOf(scope))!.at(-1)!;
    const statement = current.get(keyOf(scope))!;
    const hash = contentHash(statement);
    if (hash === latest.contentSha256) continue;
    const reason = describeLateResults({ monthKey: month.key, arrivals: arrivals.get(keyOf(scope))!, before: (latest.document as Statement).figures, after: statement.figures });
    await db.insert(tables.slaStatements).values({ scope: scope.kind, scopeId: scope.id, periodKey: month.key, version: latest.version + 1, document: statement, contentSha256: hash, reason, createdAt: now });
    revised.push({ scope: scope.kind, id: scope.id, month: month.key, version: latest.version + 1, reason });
  }
  return { revised, frozen };
}

/** Per scope: the results of its components measured in the month and received after `takenAt`. One query for all scopes. */
async function lateArrivals(db: Database, args: { month: Period; wanted: { key: string; componentId: string; takenAt: Date }[] }): Promise<Map<string, LateArrivals>> {
  if (args.wanted.length === 0) return new Map();
  const wanted = JSON.stringify(args.wanted.map((w) => ({ key: w.key, component_id: w.componentId, taken_at: w.takenAt.toISOString() })));
  const rows = rowsOf<{ key: string; n: number | string; first: Date | string; last: Date | string }>(
    await db.execute(sql`
      select w.key, count(*)::int as n, min(r.received_at) as first, max(r.received_at) as last
      from jsonb_to_recordset(${wanted}::jsonb) as w(key text, component_id text, taken_at timestamptz)
      join check_results r on r.component_id = w.component_id
        and r.started_at >= ${new Date(args.month.interval.start).toISOString()}::timestamptz
        and r.started_at < ${new Date(args.month.interval.end).toISOString()}::timestamptz
        and r.received_at > w.taken_at
      group by w.key`),
  );
  return new Map(rows.map((r) => [r.key, { count: Number(r.n), firstReceivedAt: new Date(r.first).getTime(), lastReceivedAt: new Date(r.last).getTime() }]));
}
