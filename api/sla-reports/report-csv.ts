import { stringify } from 'csv-stringify/sync';
import type { PageReport } from './compute-report.ts';

const round = (n: number | null, digits = 6) => (n === null ? '' : Number(n.toFixed(digits)));

/**
 * A text cell a spreadsheet would run as a formula (starting with = + - @, or
 * a tab or carriage return before one) gets a leading apostrophe, so it is
 * shown as text. Numbers stay numbers.
 */
export function neutraliseCell<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The report as CSV: one row per component and per category, seconds and ratios as numbers. */
export function reportToCsv(report: PageReport): string {
  const rows = [...report.components, ...report.categories].map((line) => ({
    period: report.period.key,
    status: line.status,
    scope: line.scope,
    id: line.id,
    name: line.name,
    profile: line.profileId,
    category: line.category ?? '',
    potential_seconds: round(line.figures.potentialSeconds, 3),
    available_seconds: round(line.figures.availableSeconds, 3),
    down_seconds: round(line.figures.downSeconds, 3),
    window_seconds: round(line.figures.windowSeconds, 3),
    overrun_seconds: round(line.figures.overrunSeconds, 3),
    excluded_seconds: round(line.figures.excludedSeconds, 3),
    degraded_seconds: round(line.figures.degradedSeconds, 3),
    unmeasured_seconds: round(line.figures.unmeasuredSeconds, 3),
    availability: round(line.figures.availability, 8),
    target: round(line.figures.target, 6),
    met: line.figures.met === null ? '' : String(line.figures.met),
    error_budget_seconds: round(line.figures.errorBudgetSeconds, 3),
    error_budget_left_seconds: round(line.figures.errorBudgetLeftSeconds, 3),
    // part of down_seconds, shown apart: empty for a line with no dependsOn
    third_party_down_seconds: line.thirdParty ? round(line.thirdParty.downSeconds, 3) : '',
  }));
  const safe = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseCell(v)])));
  return stringify(safe, { header: true, columns: rows.length ? undefined : ['period', 'status', 'scope', 'id'] });
}
