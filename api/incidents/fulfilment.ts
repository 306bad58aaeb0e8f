import { and, eq, gte, isNull, lt } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { incidentView } from './incident-service.ts';

export type Counts = { fulfilled: number; late: number; missed: number };
export type Fulfilment = Record<'A' | 'B' | 'C' | 'D', { incidents: number; reaction: Counts; communication: Counts }>;

/**
 * How the incidents registered in [from, to) kept their promises, per
 * priority: reactions and communication steps fulfilled in time, late, or
 * missed (due and still not done).
 */
export async function incidentFulfilment(db: Database, args: { pageId: string; from: Date; to: Date; now: Date }): Promise<Fulfilment> {
  const empty = (): Fulfilment[keyof Fulfilment] => ({ incidents: 0, reaction: { fulfilled: 0, late: 0, missed: 0 }, communication: { fulfilled: 0, late: 0, missed: 0 } });
  const result: Fulfilment = { A: empty(), B: empty(), C: empty(), D: empty() };
  const rows = await db
    .select({ id: tables.incidents.id, priority: tables.incidents.priority })
    .from(tables.incidents)
    .where(and(eq(tables.incidents.pageId, args.pageId), gte(tables.incidents.registeredAt, args.from), lt(tables.incidents.registeredAt, args.to), isNull(tables.incidents.mergedIntoId))); // a merged incident is counted in the one it joined
  for (const row of rows) {
    const view = await incidentView(db, { id: row.id, actor: 'system', now: args.now });
    const entry = result[row.priority];
    entry.incidents++;
    const r = view.reaction.state;
    if (r === 'fulfilled') entry.reaction.fulfilled++;
    else if (r === 'late') entry.reaction.late++;
    else if (r === 'overdue') entry.reaction.missed++;
    for (const step of view.communication.steps) {
      if (step.state === 'fulfilled') entry.communication.fulfilled++;
      else if (step.state === 'late') entry.communication.late++;
      else if (step.state === 'overdue') entry.communication.missed++;
    }
  }
  return result;
}
