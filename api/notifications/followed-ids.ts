/**
 * What an event lists as its `component_ids`, which subscribers and webhooks
 * are matched against: its components, then their groups as `group:<id>`, so
 * a reader following a group hears of components added to it later.
 */
export function followedIds(componentIds: readonly string[], groupIds: readonly string[]): string[] {
  return [...componentIds, ...[...new Set(groupIds)].sort().map((g) => `group:${g}`)];
}
