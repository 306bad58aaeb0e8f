import { and, isNull } from 'drizzle-orm';
import type { LocalizedText } from '../../config/index.ts';
import { inList, tables, type Database } from '../../db/index.ts';
import type { DependencyReading } from './dependency-status.ts';

export type DependedOn = { id: string; name: LocalizedText; state: DependencyReading['state'] };

/**
 * The measured state now of every component the given ones depend on,
 * wherever it is shown (a third party's service may sit on another page),
 * and each dependent's readings. A retired dependency no longer counts.
 */
export async function loadDependencies(db: Database, dependents: readonly { id: string; dependsOn: readonly { componentId: string; effect: 'degraded' | 'down' }[] }[]) {
  const ids = [...new Set(dependents.flatMap((c) => c.dependsOn.map((d) => d.componentId)))];
  const components = new Map<string, DependedOn>();
  if (ids.length > 0) {
    const c = tables.components;
    const s = tables.stateIntervals;
    const [rows, open] = await Promise.all([
      db.select({ id: c.id, name: c.name }).from(c).where(and(inList(c.id, ids), isNull(c.retiredAt))),
      db.select({ componentId: s.componentId, state: s.state }).from(s).where(and(inList(s.componentId, ids), isNull(s.endedAt))),
    ]);
    const stateOf = new Map(open.map((o) => [o.componentId, o.state]));
    for (const row of rows) components.set(row.id, { id: row.id, name: row.name as LocalizedText, state: stateOf.get(row.id) ?? 'unknown' });
  }
  const readings = new Map<string, DependencyReading[]>();
  for (const dependent of dependents) {
    readings.set(
      dependent.id,
      dependent.dependsOn.flatMap((d) => {
        const target = components.get(d.componentId);
        return target ? [{ componentId: d.componentId, effect: d.effect, state: target.state }] : [];
      }),
    );
  }
  return { components, readings };
}
