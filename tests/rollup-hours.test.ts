import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, histogramOf, ingestResults, markAllLive } from '../api/index.ts';
import { rollUpHours } from '../api/rollups/roll-up-hours.ts';
import { rowsOf, syncConfig, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const HOUR_MS = 3_600_000;
/** Results of sso from north every 5 minutes over the three hours before NOW: one in six down with a timeout. */
const sent = Array.from({ length: 36 }, (_, i) =>
  result({
    componentId: 'sso',
    regionId: 'north',
    startedAt: new Date(NOW.getTime() - 3 * HOUR_MS + i * 300_000).toISOString(),
    durationMs: 50 + i,
    ...(i % 6 === 0 ? { outcome: 'down' as const, reason: 'timeout', httpStatus: undefined } : {}),
  }),
);

type Hour = { hour: string; up: number; down: number; reasons: Record<string, number>; buckets: string; answeredMs: { total: number; min: number | null; max: number | null } };

async function hoursOf(db: Database): Promise<Hour[]> {
  const rows = rowsOf<{ hour_start: Date | string; up: number; down: number; reasons: Record<string, number> | string; buckets: string; total: number; min: number | null; max: number | null }>(
    await db.execute(sql`
      select hour_start, up, down, reasons, latency_buckets::text as buckets, answered_total_ms as total, answered_min_ms as min, answered_max_ms as max
      from result_hours where component_id = 'sso' and region_id = 'north' order by hour_start`),
  );
  return rows.map((r) => ({
    hour: new Date(r.hour_start).toISOString(),
    up: r.up,
    down: r.down,
    reasons: typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons,
    buckets: r.buckets,
    answeredMs: { total: Number(r.total), min: r.min === null ? null : Number(r.min), max: r.max === null ? null : Number(r.max) },
  }));
}

/** What the rollups must say about `results`, counted here. */
function expectedHours(results: readonly ReturnType<typeof result>[]): Hour[] {
  const byHour = new Map<string, ReturnType<typeof result>[]>();
  for (const r of results) {
    const hour = new Date(Math.floor(Date.parse(r.startedAt) / HOUR_MS) * HOUR_MS).toISOString();
    byHour.set(hour, [...(byHour.get(hour) ?? []), r]);
  }
  return [...byHour]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hour, rs]): Hour => {
      const down = rs.filter((r) => r.outcome === 'down');
      const answered = rs.filter((r) => r.outcome === 'up').map((r) => r.durationMs);
      return {
        hour,
        up: rs.length - down.length,
        down: down.length,
        reasons: Object.fromEntries([...new Set(down.map((r) => r.reason!))].sort().map((reason) => [reason, down.filter((r) => r.reason === reason).length])),
        buckets: `{${histogramOf(answered).join(',')}}`,
        answeredMs: { total: answered.reduce((a, b) => a + b, 0), min: answered.length ? Math.min(...answered) : null, max: answered.length ? Math.max(...answered) : null },
      };
    });
}

describe.each(DRIVERS)('hourly rollups made by the evaluator on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('rolls each hour up from its raw results once the evaluator has taken the marks ingest left', async () => {
    const { db } = test.handle;
    expect((await ingestResults(db, { regionId: 'north', results: sent.slice(0, 15), now: NOW })).accepted).toBe(15);
    // ingest itself writes no rollup: it stays a plain insert of the rows and a mark per component
    expect(await hoursOf(db)).toEqual([]);
    await evaluatePending(db, NOW);
    expect(await hoursOf(db)).toEqual(expectedHours(sent.slice(0, 15)));
    // the second hour gets the rest of its results, a timeout among them, in a round of its own: added to what it held
    expect((await ingestResults(db, { regionId: 'north', results: sent.slice(15, 20), now: NOW })).accepted).toBe(5);
    expect((await ingestResults(db, { regionId: 'north', results: sent.slice(20), now: NOW })).accepted).toBe(16);
    await evaluatePending(db, NOW);
    expect(await hoursOf(db)).toEqual(expectedHours(sent));
    expect((await hoursOf(db))[1]!.reasons).toEqual({ timeout: 2 });
  });

  it('counts a replayed batch, and a round run again, once', async () => {
    const { db } = test.handle;
    expect((await ingestResults(db, { regionId: 'north', results: sent, now: NOW })).duplicates).toBe(36);
    await evaluatePending(db, NOW);
    await markAllLive(db, new Date(NOW.getTime() - 3 * HOUR_MS));
    await evaluatePending(db, NOW);
    expect(await hoursOf(db)).toEqual(expectedHours(sent));
  });

  it('adds a late result to its own hour and leaves the hours before it as they were', async () => {
    const { db } = test.handle;
    const late = result({ componentId: 'sso', regionId: 'north', startedAt: new Date(NOW.getTime() - 2 * HOUR_MS + 90_000).toISOString(), durationMs: 7 });
    const before = await hoursOf(db);
    // the hour before the late one loses half its raw results: made again from what is left, it would change
    await db.execute(sql`delete from check_results where component_id = 'sso' and started_at < ${new Date(NOW.getTime() - 2 * HOUR_MS).toISOString()}::timestamptz and duration_ms::int % 2 = 0`);
    expect((await ingestResults(db, { regionId: 'north', results: [late], now: NOW })).accepted).toBe(1);
    await evaluatePending(db, NOW);
    const after = await hoursOf(db);
    expect(after[0]).toEqual(before[0]);
    expect(after.slice(1)).toEqual(expectedHours([...sent.filter((r) => Date.parse(r.startedAt) >= NOW.getTime() - 2 * HOUR_MS), late]));
  });

  it('leaves the rollups alone in a round with no new results (the periodic sweep)', async () => {
    const { db } = test.handle;
    const before = await hoursOf(db);
    // every hour loses half its raw results: an hour made again from what is left would change
    await db.execute(sql`delete from check_results where component_id = 'sso' and duration_ms::int % 2 = 0`);
    await markAllLive(db, new Date(NOW.getTime() - 3 * HOUR_MS));
    await evaluatePending(db, NOW);
    expect(await hoursOf(db)).toEqual(before);
  });

  it('counts the results of a round that was given up once, in the round that takes its marks again', async () => {
    const { db } = test.handle;
    const before = await hoursOf(db);
    const last = before.at(-1)!;
    const added = result({ componentId: 'sso', regionId: 'north', startedAt: new Date(Date.parse(last.hour) + 59 * 60_000 + 30_000).toISOString(), durationMs: 61 });
    expect((await ingestResults(db, { regionId: 'north', results: [added], now: NOW })).accepted).toBe(1);
    // given up after the marks were claimed and the result added: the transaction rolls back, marks and counts alike
    let checks = 0;
    const signal = { throwIfAborted: () => { if (++checks > 1) throw new Error('given up'); } } as unknown as AbortSignal;
    await expect(evaluatePending(db, NOW, { interrupt: { signal } })).rejects.toThrow('given up');
    expect(await hoursOf(db)).toEqual(before);
    const marksLeft = async () => Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from evaluation_marks where component_id = 'sso' and with_results`))[0]!.n);
    expect(await marksLeft()).toBe(1);
    await evaluatePending(db, NOW);
    expect(await marksLeft()).toBe(0);
    // the new result added to its hour once; the results already counted are not counted again (half of their
    // raw rows went in the test before, so an hour counted afresh would say less)
    const buckets = (text: string) => text.slice(1, -1).split(',').map(Number);
    const added61 = histogramOf([61]);
    expect((await hoursOf(db)).at(-1)).toEqual({
      ...last,
      up: last.up + 1,
      buckets: `{${buckets(last.buckets).map((n, i) => n + added61[i]!).join(',')}}`,
      answeredMs: { total: last.answeredMs.total + 61, min: Math.min(last.answeredMs.min!, 61), max: Math.max(last.answeredMs.max!, 61) },
    });
  });

  it('leaves out of a count afresh the results that marks still waiting name, and adds them once when those marks are taken', async () => {
    const { db } = test.handle;
    const last = (await hoursOf(db)).at(-1)!;
    const added = result({ componentId: 'sso', regionId: 'north', startedAt: new Date(Date.parse(last.hour) + 59 * 60_000 + 45_000).toISOString(), durationMs: 62 });
    expect((await ingestResults(db, { regionId: 'north', results: [added], now: NOW })).accepted).toBe(1);
    // a count afresh made while the new result's mark waits (stored after the round claimed, or held by another evaluator)
    await rollUpHours(db, [{ componentId: 'sso', from: new Date(last.hour) }]);
    const stored = async () =>
      rowsOf<{ started_at: Date | string; duration_ms: number; outcome: string; reason: string | null }>(
        await db.execute(sql`select started_at, duration_ms, outcome, reason from check_results where component_id = 'sso' and region_id = 'north' and started_at >= ${last.hour}::timestamptz`),
      ).map((r) => result({ componentId: 'sso', regionId: 'north', startedAt: new Date(r.started_at).toISOString(), durationMs: r.duration_ms, outcome: r.outcome as 'up', ...(r.reason ? { reason: r.reason as 'timeout' } : {}) }));
    expect((await hoursOf(db)).at(-1)).toEqual(expectedHours((await stored()).filter((r) => r.durationMs !== 62)).at(-1));
    await evaluatePending(db, NOW);
    expect((await hoursOf(db)).at(-1)).toEqual(expectedHours(await stored()).at(-1));
  });

  it('counts an hour afresh from its raw results for a mark that names no results, as marks written before they named them', async () => {
    const { db } = test.handle;
    const last = (await hoursOf(db)).at(-1)!;
    await db.execute(sql`insert into evaluation_marks (component_id, from_at, with_results) values ('sso', ${last.hour}::timestamptz, true)`);
    await evaluatePending(db, NOW);
    const stored = rowsOf<{ started_at: Date | string; duration_ms: number; outcome: string; reason: string | null }>(
      await db.execute(sql`select started_at, duration_ms, outcome, reason from check_results where component_id = 'sso' and region_id = 'north' and started_at >= ${last.hour}::timestamptz`),
    );
    const asSent = stored.map((r) => result({ componentId: 'sso', regionId: 'north', startedAt: new Date(r.started_at).toISOString(), durationMs: r.duration_ms, outcome: r.outcome as 'up', ...(r.reason ? { reason: r.reason as 'timeout' } : {}) }));
    expect((await hoursOf(db)).at(-1)).toEqual(expectedHours(asSent).at(-1));
    expect(asSent.filter((r) => r.durationMs === 61)).toHaveLength(1);
  });
});
