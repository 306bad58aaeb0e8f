import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, ingestResults, mergeBuckets } from '../api/index.ts';
import { loadComponentLatency } from '../api/public/load-component-latency.ts';
import { rowsOf, syncConfig, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const HOUR_MS = 3_600_000;
/** sso from north and south every 20 minutes for the 40 hours before NOW, response times varying, one in seven down. */
const sent = ['north', 'south'].flatMap((regionId, r) =>
  Array.from({ length: 120 }, (_, i) =>
    result({
      componentId: 'sso',
      regionId,
      startedAt: new Date(NOW.getTime() - 40 * HOUR_MS + i * 1_200_000 + r * 60_000).toISOString(),
      durationMs: 40 + ((i * 37) % 400),
      ...(i % 7 === 0 ? { outcome: 'down' as const, reason: i % 2 ? 'timeout' : 'tls_handshake', httpStatus: undefined } : {}),
    }),
  ),
);

type Day = { region: string; day: string; up: number; down: number; min: number | null; max: number | null; reasons: Record<string, number>; buckets: number[] };

async function daysOf(db: Database, timeZone: string): Promise<Day[]> {
  const rows = rowsOf<{ region_id: string; day_start: Date | string; up: number; down: number; answered_min_ms: number | null; answered_max_ms: number | null; reasons: Record<string, number> | string; buckets: string }>(
    await db.execute(sql`select region_id, day_start, up, down, answered_min_ms, answered_max_ms, reasons, latency_buckets::text as buckets
      from result_days where component_id = 'sso' and time_zone = ${timeZone} order by region_id, day_start`),
  );
  return rows.map((r) => ({
    region: r.region_id,
    day: DateTime.fromJSDate(new Date(r.day_start), { zone: timeZone }).toISODate()!,
    up: r.up,
    down: r.down,
    min: r.answered_min_ms,
    max: r.answered_max_ms,
    reasons: typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons,
    buckets: JSON.parse(r.buckets.replace('{', '[').replace('}', ']')) as number[],
  }));
}

/** The hourly rollups added up per local day here, the days that are over only. */
async function expectedDays(db: Database, timeZone: string, now: Date): Promise<Day[]> {
  const hours = rowsOf<{ region_id: string; hour_start: Date | string; up: number; down: number; answered_min_ms: number | null; answered_max_ms: number | null; reasons: Record<string, number> | string; buckets: string }>(
    await db.execute(sql`select region_id, hour_start, up, down, answered_min_ms, answered_max_ms, reasons, latency_buckets::text as buckets from result_hours where component_id = 'sso'`),
  );
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
  const days = new Map<string, Day>();
  for (const h of hours) {
    const day = DateTime.fromJSDate(new Date(h.hour_start), { zone: timeZone }).toISODate()!;
    if (day >= today) continue;
    const key = `${h.region_id} ${day}`;
    const own = days.get(key) ?? { region: h.region_id, day, up: 0, down: 0, min: null, max: null, reasons: {}, buckets: [] };
    own.up += h.up;
    own.down += h.down;
    if (h.answered_min_ms !== null) own.min = own.min === null ? h.answered_min_ms : Math.min(own.min, h.answered_min_ms);
    if (h.answered_max_ms !== null) own.max = own.max === null ? h.answered_max_ms : Math.max(own.max, h.answered_max_ms);
    for (const [reason, n] of Object.entries(typeof h.reasons === 'string' ? (JSON.parse(h.reasons) as Record<string, number>) : h.reasons)) own.reasons[reason] = (own.reasons[reason] ?? 0) + n;
    own.buckets = mergeBuckets([own.buckets, JSON.parse(h.buckets.replace('{', '[').replace('}', ']')) as number[]]);
    days.set(key, own);
  }
  return [...days.values()].sort((a, b) => a.region.localeCompare(b.region) || a.day.localeCompare(b.day));
}

describe.each(DRIVERS)('daily rollups made by the evaluator on %s', (driver) => {
  let test: TestDatabase;
  let timeZone: string;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-11-01T00:00:00Z'));
    timeZone = rowsOf<{ time_zone: string }>(await test.handle.db.execute(sql`select time_zone from status_pages where id = 'status'`))[0]!.time_zone;
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("adds up each day that is over from its hours, in the page's zone, and leaves today to its hours", async () => {
    const { db } = test.handle;
    expect((await ingestResults(db, { regionId: 'north', results: sent.filter((r) => r.regionId === 'north'), now: NOW })).accepted).toBe(120);
    expect((await ingestResults(db, { regionId: 'south', results: sent.filter((r) => r.regionId === 'south'), now: NOW })).accepted).toBe(120);
    await evaluatePending(db, NOW);
    const made = await daysOf(db, timeZone);
    // two days are over (the first one partly measured), for each region; today has no row
    expect(made.map((d) => `${d.region} ${d.day}`)).toEqual(['north 2026-11-20', 'north 2026-11-21', 'south 2026-11-20', 'south 2026-11-21']);
    expect(made).toEqual(await expectedDays(db, timeZone, NOW));
    expect(made.reduce((n, d) => n + d.down, 0)).toBeGreaterThan(0);
    expect(Object.keys(made[1]!.reasons).sort()).toEqual(['timeout', 'tls_handshake']);
  });

  it('draws the same chart from the daily rows as from the hours alone, and falls back to the hours for a day of another zone', async () => {
    const { db } = test.handle;
    const withDays = await loadComponentLatency(db, { pageId: 'status', componentId: 'sso', now: NOW });
    expect(withDays!.regions.map((r) => r.days.filter((d) => d.samples > 0).length)).toEqual([3, 3]);
    // made in another zone (the page's changed since): not the page's days, so the hours are read instead
    await db.execute(sql`update result_days set time_zone = 'America/New_York' where component_id = 'sso'`);
    expect(await loadComponentLatency(db, { pageId: 'status', componentId: 'sso', now: NOW })).toEqual(withDays);
    await db.execute(sql`delete from result_days`);
    expect(await loadComponentLatency(db, { pageId: 'status', componentId: 'sso', now: NOW })).toEqual(withDays);
  });

  it('makes a day again when a late result reaches it, and makes yesterday once the day has turned', async () => {
    const { db } = test.handle;
    await evaluatePending(db, NOW); // nothing new: nothing made
    expect(await daysOf(db, timeZone)).toEqual([]);
    const yesterday = new Date(NOW.getTime() - 20 * HOUR_MS);
    const late = result({ componentId: 'sso', regionId: 'north', startedAt: yesterday.toISOString(), durationMs: 4_321 });
    expect((await ingestResults(db, { regionId: 'north', results: [late], now: NOW })).accepted).toBe(1);
    await evaluatePending(db, NOW);
    const made = await daysOf(db, timeZone);
    expect(made).toEqual(await expectedDays(db, timeZone, NOW));
    expect(made.find((d) => d.region === 'north' && d.day === DateTime.fromJSDate(yesterday, { zone: timeZone }).toISODate())!.max).toBe(4_321);
    // a day later, the first results of the new day bring the day before (NOW's) to its row
    const tomorrow = new Date(NOW.getTime() + 24 * HOUR_MS);
    const fresh = result({ componentId: 'sso', regionId: 'north', startedAt: new Date(tomorrow.getTime() - 60_000).toISOString(), durationMs: 99 });
    expect((await ingestResults(db, { regionId: 'north', results: [fresh], now: tomorrow })).accepted).toBe(1);
    await evaluatePending(db, tomorrow);
    const later = await daysOf(db, timeZone);
    expect(later.map((d) => `${d.region} ${d.day}`)).toContain(`north ${DateTime.fromJSDate(NOW, { zone: timeZone }).toISODate()}`);
    expect(later).toEqual(await expectedDays(db, timeZone, tomorrow));
  });

  it('makes, on upgrade, the same days from the hours kept so far as the evaluator does', async () => {
    const { db } = test.handle;
    const made = await daysOf(db, timeZone);
    expect(made.length).toBeGreaterThan(0);
    const migration = readFileSync(new URL('../db/migrations/0024_add_day_rollups.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').map((s) => s.trim()).find((s) => s.startsWith('INSERT INTO "result_days"'))!;
    await db.execute(sql`delete from result_days`);
    await db.execute(sql.raw(backfill));
    // the migration runs by the database's clock: every day before today is over, the evaluator's and the one after
    const backfilled = await daysOf(db, timeZone);
    expect(backfilled).toEqual(await expectedDays(db, timeZone, new Date()));
    expect(backfilled).toEqual(expect.arrayContaining(made));
  });
});
