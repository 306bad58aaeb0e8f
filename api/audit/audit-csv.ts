import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { neutraliseCell } from '../sla-reports/report-csv.ts';
import type { NamedAuditEntry } from './load-audit-log.ts';

/**
 * The audit entries as CSV, times (to the second) in `timeZone` with their offset and the zone
 * named in its own column, names beside the ids. Every text cell that a
 * spreadsheet would run as a formula is neutralised, as in the SLA report.
 */
export function auditToCsv(entries: readonly NamedAuditEntry[], timeZone: string): string {
  const columns = ['at', 'time_zone', 'who', 'who_name', 'action', 'entity', 'entity_id', 'entity_name', 'components'];
  const rows = entries.map((e) => [DateTime.fromISO(e.at, { zone: 'utc' }).setZone(timeZone).set({ millisecond: 0 }).toISO({ suppressMilliseconds: true }) ?? e.at, timeZone, e.actor, e.actorName ?? '', e.action, e.entity, e.entityId, e.entityName ?? '', e.components.join(', ')].map(neutraliseCell));
  return stringify(rows, { header: true, columns });
}
