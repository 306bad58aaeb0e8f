/** The rows of `db.execute()`: node-postgres and PGlite return an object with `rows`; an array is taken as the rows themselves. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
