/**
 * Reads shared by the requests of one refresh of the kept public pages. The
 * server's own refresh asks the API in process, with one `SharedReads` map
 * per round as Hono's env (`app.request(url, init, { sharedReads })`): every
 * Statuspage route, badge and page of the round then reads a page's status
 * once, not once per address and language. Requests from the network carry
 * no such env, so they always read afresh.
 */
export type SharedReads = Map<string, Promise<unknown>>;

export function sharedReadsOf(env: unknown): SharedReads | undefined {
  const shared = (env as { sharedReads?: unknown } | undefined)?.sharedReads;
  return shared instanceof Map ? (shared as SharedReads) : undefined;
}

/** `read()`, or the promise an earlier request of the same round made for `key`. */
export function readOnce<T>(shared: SharedReads | undefined, key: string, read: () => Promise<T>): Promise<T> {
  if (!shared) return read();
  let kept = shared.get(key) as Promise<T> | undefined;
  if (!kept) {
    kept = read();
    shared.set(key, kept);
  }
  return kept;
}
