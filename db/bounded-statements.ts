import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * PostgreSQL's wire protocol numbers bind parameters with 16 bits, so one
 * statement takes at most 65,535. Half of that leaves room for the parameters
 * a statement adds around its rows (an upsert's SET, a WHERE) and keeps each
 * statement's text and plan small.
 */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/**
 * Splits `rows` into chunks whose multi-row INSERT stays within `maxParameters`
 * bind parameters, counting every column of `table` for each row (Drizzle writes
 * one value or `default` per column, so this is an upper bound).
 *
 * @example
 * for (const chunk of rowChunks(checks, rows)) await tx.insert(checks).values(chunk);
 */
export function rowChunks<T>(table: PgTable, rows: readonly T[], maxParameters = MAX_PARAMETERS_PER_STATEMENT): T[][] {
  return chunkByParameters(rows, Object.keys(getTableColumns(table)).length, maxParameters);
}

/** Splits `items` into the fewest chunks of at most `maxParameters / parametersPerItem` items (at least one each). */
export function chunkByParameters<T>(items: readonly T[], parametersPerItem: number, maxParameters = MAX_PARAMETERS_PER_STATEMENT): T[][] {
  if (!Number.isInteger(parametersPerItem) || parametersPerItem < 1) throw new Error(`parametersPerItem must be a positive integer, got ${parametersPerItem}`);
  const size = Math.max(1, Math.floor(maxParameters / parametersPerItem));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * `expression IN (values)` with the whole list as one bind parameter (a JSON
 * array), so a list of any length fits one statement; PostgreSQL hashes the
 * subquery, so a long list is not scanned once per row. `sqlType` is the
 * type of `expression` (a column's own type when a column is given).
 */
export function inList(expression: PgColumn | SQL, values: readonly (string | number)[], sqlType?: string): SQL {
  return sql`${expression} in ${listRows(expression, values, sqlType)}`;
}

/** `expression NOT IN (values)`, the list as one bind parameter; see inList. */
export function notInList(expression: PgColumn | SQL, values: readonly (string | number)[], sqlType?: string): SQL {
  return sql`${expression} not in ${listRows(expression, values, sqlType)}`;
}

const SERIAL_TYPES: Record<string, string> = { smallserial: 'smallint', serial: 'integer', bigserial: 'bigint' };

function listRows(expression: PgColumn | SQL, values: readonly (string | number)[], sqlType: string | undefined): SQL {
  const declared = sqlType ?? ('getSQLType' in expression ? expression.getSQLType() : 'text');
  // a serial column holds plain integers; `serial` is no type a value can be cast to
  const type = SERIAL_TYPES[declared] ?? declared;
  if (!/^[a-z][a-z0-9 ()]*$/.test(type)) throw new Error(`not a plain SQL type: ${type}`);
  return sql`(select value::${sql.raw(type)} from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
