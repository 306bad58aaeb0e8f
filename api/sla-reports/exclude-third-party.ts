import { and, eq, isNull } from 'drizzle-orm';
import { localize, type LocalizedText } from '../../config/index.ts';
import { tables, type Database } from '../../db/index.ts';
import type { Actor } from '../auth/accounts.ts';
import { DomainError } from '../http/errors.ts';
import type { ExclusionReason } from '../sla/index.ts';
import { recordExclusion } from '../windows/window-service.ts';
import { toEngineProfile } from './engine-profile.ts';
import { loadThirdPartyDowntime } from './third-party-downtime.ts';

/**
 * Turns a stretch of downtime attributed to a third party into an exclusion,
 * recorded and audited as any exclusion is (frozen months revised). The span
 * must be downtime that fell while a dependency was in trouble, as the report
 * computes it now, so the call cannot exclude time of our own making.
 */
export async function excludeThirdPartyDowntime(
  db: Database,
  args: { componentId: string; start: Date; end: Date; reason: ExclusionReason; note?: string | undefined; actor: Actor; now: Date },
) {
  const c = tables.components;
  const [row] = await db
    .select({ id: c.id, spec: tables.slaProfiles.spec })
    .from(c)
    .leftJoin(tables.slaProfiles, eq(tables.slaProfiles.id, c.slaProfileId))
    .where(and(eq(c.id, args.componentId), isNull(c.retiredAt)));
  if (!row) throw new DomainError('NOT_FOUND', `no component "${args.componentId}"`, { kind: 'component', id: args.componentId });
  if (!row.spec) throw new DomainError('VALIDATION', `component "${args.componentId}" has no SLA profile, so it has no downtime to exclude; give it slaProfile in the config`);
  if (args.end <= args.start) throw new DomainError('VALIDATION', 'end must be after start');
  const profile = toEngineProfile(row.spec as never);
  const attributed = await loadThirdPartyDowntime(db, {
    members: [{ id: row.id, profile }],
    now: args.now,
    span: { start: args.start.getTime(), end: args.end.getTime() },
  });
  const spans = attributed.get(row.id)?.spans ?? [];
  const covering = spans.find((s) => Date.parse(s.start) <= args.start.getTime() && Date.parse(s.end) >= args.end.getTime());
  if (!covering) {
    const found = spans.length ? ` (attributed in that span: ${spans.map((s) => `${s.start}–${s.end}`).join(', ')})` : '';
    throw new DomainError('VALIDATION', `${args.start.toISOString()}–${args.end.toISOString()} is not downtime of "${args.componentId}" while a component it depends on was in trouble${found}; pick a span from the report's thirdParty.spans`);
  }
  const names = await db.select({ id: c.id, name: c.name }).from(c);
  const nameOf = (id: string) => localize((names.find((n) => n.id === id)?.name ?? id) as LocalizedText, 'en');
  const note = `Downtime while ${covering.dependencyIds.map(nameOf).join(', ')} reported a problem${args.note ? `: ${args.note}` : ''}`;
  return recordExclusion(db, { componentIds: [row.id], start: args.start, end: args.end, reason: args.reason, note, actor: args.actor, now: args.now });
}
