import { and, desc, gt, inArray, isNull, lte, ne } from 'drizzle-orm';
import { tables, type Database } from '../../db/index.ts';
import { defaultImpact, worstDeclared, type Declared } from './shown-status.ts';

/**
 * What operators declare now, per component: the impact of the latest update
 * an operator published on each open incident (an incident an operator opened
 * declares its priority's impact from the start), and statuses set by hand
 * that have not expired. Updates the system published declare nothing: they
 * only repeat what the probes measured.
 */
export async function loadDeclaredStatuses(db: Database, args: { componentIds: readonly string[]; now: Date }): Promise<Map<string, Declared>> {
  if (args.componentIds.length === 0) return new Map();
  const i = tables.incidents;
  const o = tables.componentStatusOverrides;
  const [open, overrides] = await Promise.all([
    db.select().from(i).where(and(isNull(i.resolvedAt), isNull(i.mergedIntoId))),
    db.select().from(o).where(and(inArray(o.componentId, [...args.componentIds]), isNull(o.clearedAt), lte(o.setAt, args.now), gt(o.expiresAt, args.now))),
  ]);
  const mine = open.filter((incident) => incident.componentIds.some((id) => args.componentIds.includes(id)));
  const u = tables.incidentUpdates;
  const updates = mine.length
    ? await db.select().from(u).where(and(inArray(u.incidentId, mine.map((x) => x.id)), ne(u.author, 'system'))).orderBy(desc(u.publishedAt), desc(u.incidentVersion))
    : [];
  const all = new Map<string, Declared[]>();
  const add = (componentId: string, declared: Declared) => all.set(componentId, [...(all.get(componentId) ?? []), declared]);
  for (const incident of mine) {
    const latest = updates.find((x) => x.incidentId === incident.id);
    if (!latest && incident.automatic) continue;
    for (const id of incident.componentIds) add(id, { status: latest?.impact[id] ?? defaultImpact(incident.priority), source: 'incident', incidentId: incident.id, expiresAt: null });
  }
  for (const override of overrides) add(override.componentId, { status: override.status, source: 'manual', incidentId: null, expiresAt: override.expiresAt.toISOString() });
  return new Map([...all].map(([id, list]) => [id, worstDeclared(list)!]));
}
