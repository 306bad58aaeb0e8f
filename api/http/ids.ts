const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text is a UUID the database will accept (checked before any query, so a malformed id is a 404/400, never a database error). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
