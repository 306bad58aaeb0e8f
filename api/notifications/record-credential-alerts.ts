import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../db/index.ts';
import { recordAlert } from './record-alert.ts';

/** Reasons that mean CloudWatch refused the probe's credentials or their permissions. */
const CREDENTIAL_REASONS = ['access_denied'];
/** Reasons that mean CloudWatch was not read at all, so they say nothing about the credentials either way. */
const UNREAD_REASONS = ['throttled', 'cloud_error'];

/** A CloudWatch check's newest result per region, as the evaluator keeps them. */
export type CloudWatchReading = { componentId: string; checkId: string; regionId: string; startedAt: Date; reason: string | null; message: string | null };

/** Where a check's credentials stand: failing in some regions, readable again, or nothing new to say. Pure. */
export function credentialStateOf(readings: readonly CloudWatchReading[]): { state: 'failing'; regions: string[]; since: Date; message: string | null } | { state: 'readable'; since: Date } | { state: 'undecided' } {
  const failing = readings.filter((r) => r.reason !== null && CREDENTIAL_REASONS.includes(r.reason));
  if (failing.length > 0) {
    const first = failing.reduce((a, b) => (a.startedAt <= b.startedAt ? a : b));
    return { state: 'failing', regions: failing.map((r) => r.regionId).sort(), since: first.startedAt, message: failing.at(-1)!.message };
  }
  const read = readings.filter((r) => r.reason === null || !UNREAD_REASONS.includes(r.reason));
  if (read.length > 0) return { state: 'readable', since: read.reduce((a, b) => (a.startedAt <= b.startedAt ? a : b)).startedAt };
  return { state: 'undecided' };
}

/**
 * Raises `cloudwatch_credentials` for each CloudWatch check whose newest
 * result in some region failed because CloudWatch refused the credentials,
 * one alert per check however many regions and results fail, and a resolved
 * follow-up once its results are read again. The alerts of a check are
 * numbered in its dedupe key (odd: failing, even: resolved), so the next one
 * is the same row on every replica and restart. Returns how many it raised.
 */
export async function recordCredentialAlerts(db: Database, now: Date): Promise<number> {
  const readings = rowsOf<{ component_id: string; check_id: string; region_id: string; started_at: Date | string; reason: string | null; message: string | null }>(
    await db.execute(sql`
      select l.component_id, l.check_id, l.region_id, l.started_at, l.reason, l.message
      from latest_results l join checks c on c.component_id = l.component_id and c.check_id = l.check_id
      where c.kind = 'cloudwatch' and c.retired_at is null`),
  );
  if (readings.length === 0) return 0;
  const last = new Map(
    rowsOf<{ check_key: string; seq: number; payload: unknown }>(
      await db.execute(sql`
        select distinct on (check_key) check_key, seq, payload from (
          select substring(dedupe_key from '^cloudwatch_credentials:(.*):[0-9]+$') as check_key,
                 substring(dedupe_key from ':([0-9]+)$')::int as seq, payload
          from notification_events where kind = 'operator_alert' and dedupe_key like 'cloudwatch_credentials:%'
        ) k order by check_key, seq desc`),
    ).map((r) => [r.check_key, { seq: Number(r.seq), payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { detail: Record<string, string> } }]),
  );
  const byCheck = new Map<string, CloudWatchReading[]>();
  for (const r of readings) {
    const key = `${r.component_id}/${r.check_id}`;
    byCheck.set(key, [...(byCheck.get(key) ?? []), { componentId: r.component_id, checkId: r.check_id, regionId: r.region_id, startedAt: new Date(r.started_at), reason: r.reason, message: r.message }]);
  }
  let raised = 0;
  for (const [key, checkReadings] of byCheck) {
    const { componentId, checkId } = checkReadings[0]!;
    const previous = last.get(key);
    const open = previous !== undefined && previous.seq % 2 === 1;
    const state = credentialStateOf(checkReadings);
    const next = (previous?.seq ?? 0) + 1;
    const base = { event: 'cloudwatch_credentials' as const, priority: null, componentIds: [componentId], dedupeKey: `cloudwatch_credentials:${key}:${next}`, now };
    if (state.state === 'failing' && !open) {
      const detail = { state: 'failing', checkId, regions: state.regions.join(', '), since: state.since.toISOString(), message: state.message };
      if (await recordAlert(db, { ...base, detail })) raised++;
    } else if (state.state === 'readable' && open) {
      const detail = { state: 'resolved', checkId, since: state.since.toISOString(), failedSince: previous.payload.detail.since ?? null };
      if (await recordAlert(db, { ...base, detail })) raised++;
    }
  }
  return raised;
}
