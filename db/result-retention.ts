import { eq, sql } from 'drizzle-orm';
import { DEFAULT_RAW_RESULTS_DAYS } from '../config/index.ts';
import type { Database } from './open-database.ts';
import { settings } from './schema/index.ts';

const SETTING = 'raw_results_retention_days';
const DAY_MS = 86_400_000;

/** Written by the config sync, read by ingest and partition maintenance in every process. */
export async function writeRetentionDays(db: Database, days: number, now: Date): Promise<void> {
  await db
    .insert(settings)
    .values({ name: SETTING, value: days, updatedAt: now })
    .onConflictDoUpdate({ target: settings.name, set: { value: sql`excluded.value`, updatedAt: now } });
}

/** The days of raw results kept; the default until a config sync has written one. */
export async function loadRetentionDays(db: Database): Promise<number> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.name, SETTING));
  return typeof row?.value === 'number' ? row.value : DEFAULT_RAW_RESULTS_DAYS;
}

/** Results that started before this instant are past the retention: refused at ingest, dropped with their day. */
export function retentionEdge(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}
