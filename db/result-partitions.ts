import { sql } from 'drizzle-orm';
import type { Database } from './open-database.ts';
import { retentionEdge } from './result-retention.ts';
import { rowsOf } from './rows-of.ts';

const DAY_MS = 86_400_000;
const PARENT = 'check_results';
const DEFAULT_PARTITION = 'check_results_default';
const DAY_NAME = /^check_results_d(\d{4})(\d{2})(\d{2})$/;
/** Partitions are made this many days ahead, so a day never starts without one, even after a day of failed attempts. */
export const PARTITION_DAYS_AHEAD = 3;
/**
 * Maintenance gives way rather than hold up ingest: attaching and dropping a
 * partition briefly locks the table, and waiting longer than this for other
 * transactions to let go fails the round, which is logged and retried.
 */
const LOCK_TIMEOUT_MS = 5_000;

export type PartitionRound = { skipped: boolean; created: string[]; dropped: string[]; movedFromDefault: number; expiredFromDefault: number };

/** The partition of raw results that started on the UTC day of `at`: its table name and bounds. */
export function dayPartition(at: Date): { name: string; from: Date; to: Date } {
  const from = new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
  const stamp = from.toISOString().slice(0, 10).replaceAll('-', '');
  return { name: `${PARENT}_d${stamp}`, from, to: new Date(from.getTime() + DAY_MS) };
}

/** The UTC day a partition's name stands for, or undefined for any other table. */
export function dayOfPartition(name: string): Date | undefined {
  const match = DAY_NAME.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
}

/**
 * What a round must do, decided from what exists: a partition for every day
 * from yesterday to `PARTITION_DAYS_AHEAD` ahead and for every day the default
 * partition holds results of, unless the day is wholly past the retention; and
 * away with every day partition wholly past it.
 */
export function planPartitions(args: { now: Date; retentionDays: number; existing: readonly string[]; daysInDefault: readonly Date[] }): { create: Date[]; drop: string[] } {
  const edge = retentionEdge(args.now, args.retentionDays).getTime();
  const existing = new Set(args.existing);
  const wanted = new Map<string, Date>();
  const want = (day: Date) => {
    const partition = dayPartition(day);
    if (partition.to.getTime() > edge && !existing.has(partition.name)) wanted.set(partition.name, partition.from);
  };
  for (let ahead = -1; ahead <= PARTITION_DAYS_AHEAD; ahead++) want(new Date(args.now.getTime() + ahead * DAY_MS));
  for (const day of args.daysInDefault) want(day);
  const drop = args.existing.filter((name) => {
    const day = dayOfPartition(name);
    return day !== undefined && day.getTime() + DAY_MS <= edge;
  });
  return { create: [...wanted.values()].sort((a, b) => a.getTime() - b.getTime()), drop: drop.sort() };
}

/**
 * Creates the coming days' partitions, moves results the default partition
 * caught into their day's new partition, and drops the days past the
 * retention: whole tables, never a DELETE over the live ones. One process at
 * a time (a transaction-scoped advisory lock; others skip the round), in one
 * transaction, so a crash leaves the table as it was.
 */
export async function maintainResultPartitions(db: Database, args: { now: Date; retentionDays: number }): Promise<PartitionRound> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const round: PartitionRound = { skipped: false, created: [], dropped: [], movedFromDefault: 0, expiredFromDefault: 0 };
    const [lock] = rowsOf<{ got: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('statusvakt:result-partitions')) as got`));
    if (!lock?.got) return { ...round, skipped: true };
    await tx.execute(sql.raw(`set local lock_timeout = ${LOCK_TIMEOUT_MS}`));

    const existing = rowsOf<{ name: string }>(
      await tx.execute(sql`
        select child.relname as name from pg_inherits i
        join pg_class child on child.oid = i.inhrelid
        join pg_class parent on parent.oid = i.inhparent
        where parent.relname = ${PARENT} and parent.relnamespace = to_regnamespace(current_schema())`),
    ).map((r) => r.name);
    const edge = retentionEdge(args.now, args.retentionDays);
    // a straggler past the retention has no day to go to; the probe's replay of it is refused at ingest as well
    round.expiredFromDefault = rowsOf<{ n: number | string }>(
      await tx.execute(sql`with gone as (delete from ${sql.identifier(DEFAULT_PARTITION)} where started_at < ${edge.toISOString()}::timestamptz returning 1) select count(*) as n from gone`),
    ).map((r) => Number(r.n))[0]!;
    const daysInDefault = rowsOf<{ day: Date | string }>(
      await tx.execute(sql`select distinct date_trunc('day', started_at, 'UTC') as day from ${sql.identifier(DEFAULT_PARTITION)}`),
    ).map((r) => new Date(r.day));

    const plan = planPartitions({ now: args.now, retentionDays: args.retentionDays, existing, daysInDefault });
    if (plan.create.length + plan.drop.length === 0) return round;
    // An insert picks its partition from the table's layout as it was when the statement began: one
    // that began before this attach and routes a row to the default partition would find the default
    // no longer takes that day and fail. This lock waits for the inserts under way and holds new ones
    // (reads go on) until the new layout is committed.
    // The bulk of a day the default caught is moved before that lock, so ingest waits only for what
    // arrived meanwhile; other readers see the move only when the round commits.
    const partitions = plan.create.map((day) => dayPartition(day));
    for (const partition of partitions) {
      await tx.execute(sql`create table ${sql.identifier(partition.name)} (like ${sql.identifier(PARENT)} including defaults)`);
      round.movedFromDefault += await moveFromDefault(tx, partition);
    }
    await tx.execute(sql`lock table ${sql.identifier(PARENT)} in share row exclusive mode`);
    for (const partition of partitions) {
      round.movedFromDefault += await moveFromDefault(tx, partition);
      // bounds are literals in DDL: they come from dates formatted here, never from input
      await tx.execute(sql.raw(`alter table "${PARENT}" attach partition "${partition.name}" for values from ('${partition.from.toISOString()}') to ('${partition.to.toISOString()}')`));
      round.created.push(partition.name);
    }
    for (const name of plan.drop) {
      await tx.execute(sql`drop table ${sql.identifier(name)}`);
      round.dropped.push(name);
    }
    return round;
  });
}

/**
 * Moves the results of a day the default partition holds into that day's
 * table (not attached yet): attaching checks the default holds none of the
 * day. Returns the rows moved.
 */
async function moveFromDefault(tx: Database, partition: { name: string; from: Date; to: Date }): Promise<number> {
  const [moved] = rowsOf<{ n: number | string }>(
    await tx.execute(sql`
      with moved as (
        delete from ${sql.identifier(DEFAULT_PARTITION)}
        where started_at >= ${partition.from.toISOString()}::timestamptz and started_at < ${partition.to.toISOString()}::timestamptz returning *
      ), copied as (insert into ${sql.identifier(partition.name)} select * from moved returning 1)
      select count(*) as n from copied`),
  );
  return Number(moved?.n ?? 0);
}
