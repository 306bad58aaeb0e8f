import { lt } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';

/** The charts reach back 30 local days; a day more covers every time zone. */
export const LATENCY_KEEP_DAYS = 32;

/** Deletes hourly response-time sums older than the charts show, so the table stays the same size; returns how many went. */
export async function pruneLatencyHours(db: Database, args: { now: Date }): Promise<number> {
  const cutoff = new Date(args.now.getTime() - LATENCY_KEEP_DAYS * 86_400_000);
  const deleted = await db.delete(tables.latencyHours).where(lt(tables.latencyHours.hourStart, cutoff)).returning({ regionId: tables.latencyHours.regionId });
  return deleted.length;
}
