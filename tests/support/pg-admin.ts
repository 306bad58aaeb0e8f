import pg from 'pg';

/** Runs statements one after another on a single connection to `url` (creating or dropping databases, counting rows), then closes it. */
export async function runStatements<Row = Record<string, unknown>>(url: string, statements: readonly (string | { text: string; values: unknown[] })[]): Promise<Row[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results: Row[][] = [];
    for (const statement of statements) results.push((await client.query(statement as pg.QueryConfig)).rows as Row[]);
    return results;
  } finally {
    await client.end();
  }
}
