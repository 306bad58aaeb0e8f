import { encodeBody, type EncodedBody } from './encode-body.ts';
import type { SnapshotSource } from './snapshot-key.ts';

/** What a handler answered for one address. */
export type Rendered = { status: number; contentType: string; body: Buffer };

export type Snapshot = {
  key: string;
  source: SnapshotSource;
  contentType: string;
  /** When the data in it was read (ms since the epoch): the "last updated" a visitor sees. */
  renderedAt: number;
  fresh: EncodedBody;
  /** The HTML with its out-of-date warning shown, made the first time it is needed. */
  stale?: Promise<EncodedBody>;
};

export type SnapshotStoreOptions = {
  /** `round` is the same object for every render of one refresh round (so they may share their reads), undefined outside one. */
  render: (source: SnapshotSource, key: string, round?: object) => Promise<Rendered>;
  /** Something that changes whenever what the pages show changes (states, incidents, windows); may throw when the database is down. */
  changeToken: () => Promise<string>;
  now: () => number;
  /** Refresh a snapshot at least this often, changed or not. */
  maxAgeMs?: number;
  /** Keep an address nobody asked for during this long no more (pinned ones stay). */
  idleMs?: number;
  /** Keep at most this many addresses besides the pinned ones (which are bounded by whoever pins them). */
  maxKeys?: number;
  /** Refresh for a change at most this often (more rarely when a round takes long). */
  minChangeGapMs?: number;
  /** A render taking longer fails (the last good snapshot stays). */
  renderTimeoutMs?: number;
  /** After a write, wait this long for more writes before refreshing, so a burst of writes (open, then publish) is answered first and refreshed once. */
  writeQuietMs?: number;
  /** …but refresh no later than this after the first write of a burst. */
  writeMaxDelayMs?: number;
  onError?: (error: unknown, key: string | undefined) => void;
  /** Called after the first good refresh round that follows a failure. */
  onRecover?: () => void;
};

type Entry = { snapshot: Snapshot; pinned: boolean; lastRequestedAt: number };

/** The marker in the HTML that hides the out-of-date warning (see layouts/Layout.astro). */
/** How long a refresh waits for writes being answered before it renders anyway. */
const MAX_WRITE_WAIT_MS = 2_000;

export const STALE_MARKER = 'data-snapshot-stale hidden';

/**
 * Rendered pages and public JSON kept in memory and refreshed in the
 * background, so a request never waits on the database: when something
 * changes, at least every `maxAgeMs`, and never while a refresh is running.
 * A refresh that fails keeps the last good snapshot; the next good change
 * token after a failure refreshes everything, so the site catches up alone.
 */
export function createSnapshotStore(options: SnapshotStoreOptions) {
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const idleMs = options.idleMs ?? 600_000;
  const maxKeys = options.maxKeys ?? 500;
  const renderTimeoutMs = options.renderTimeoutMs ?? 10_000;
  const writeQuietMs = options.writeQuietMs ?? 250;
  const writeMaxDelayMs = options.writeMaxDelayMs ?? 1_000;
  const entries = new Map<string, Entry>();
  const filling = new Map<string, Promise<Snapshot | Rendered>>();
  let token: string | undefined;
  let lastChangeRoundAt = Number.NEGATIVE_INFINITY;
  let lastRoundMs = 0;
  const minChangeGapMs = options.minChangeGapMs ?? 1_000;
  let refreshing: Promise<void> | undefined;
  const counters = { refreshed: 0, failed: 0, lastFailureAt: null as number | null };

  // writes being answered now; renders wait for them (bounded, so a request that hangs cannot stop the refreshes)
  let writesInFlight = 0;
  let writesIdle: { promise: Promise<void>; resolve: () => void } | undefined;
  const beginWrite = () => {
    writesInFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      writesInFlight--;
      if (writesInFlight === 0 && writesIdle) {
        writesIdle.resolve();
        writesIdle = undefined;
      }
    };
  };
  const writesAnswered = (): Promise<void> | undefined => {
    if (writesInFlight === 0) return undefined;
    if (!writesIdle) {
      let resolve!: () => void;
      writesIdle = { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
    }
    let timeout: NodeJS.Timeout | undefined;
    return Promise.race([writesIdle.promise, new Promise<void>((resolve) => (timeout = setTimeout(resolve, MAX_WRITE_WAIT_MS)))]).finally(() => clearTimeout(timeout));
  };

  /** `round`: the refresh round the render belongs to, and when that round began. */
  const build = async (source: SnapshotSource, key: string, round?: { reads: object; startedAt: number }): Promise<Snapshot | Rendered> => {
    // rendering takes this thread for tens of milliseconds: no render starts while an operator's write is being answered
    await writesAnswered();
    // a round's renders share reads made since the round began, so each is as old as the round: a write
    // answered during the round is not in what they show, and they must not count as made after it
    const startedAt = round?.startedAt ?? options.now();
    // a render that hangs (a query waiting on a dead connection) must not hold every later refresh back
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rendering ${key} took over ${renderTimeoutMs} ms`)), renderTimeoutMs);
    });
    const rendered = await Promise.race([options.render(source, key, round?.reads), timeout]).finally(() => clearTimeout(timer));
    // only a page that exists is kept; a 404 or an error is answered as it is, and not kept
    if (rendered.status !== 200) return rendered;
    return { key, source, contentType: rendered.contentType, renderedAt: startedAt, fresh: await encodeBody(rendered.body) };
  };

  /** Renders one address now and keeps it when it answered 200 (else returns what it answered); concurrent calls share one render. */
  const fill = (source: SnapshotSource, key: string, pinned = false): Promise<Snapshot | Rendered> => {
    const pending = filling.get(key);
    if (pending) return pending;
    const promise = build(source, key)
      .then((built) => {
        if (!('fresh' in built)) return built;
        const old = entries.get(key);
        // a render begun before the kept one (slow, or under way when a write was answered) never replaces it
        if (old && old.snapshot.renderedAt > built.renderedAt) return old.snapshot;
        if (pinned || old || unpinnedCount() < maxKeys) {
          entries.set(key, { snapshot: built, pinned: pinned || (old?.pinned ?? false), lastRequestedAt: old?.lastRequestedAt ?? options.now() });
        }
        return built;
      })
      .finally(() => filling.delete(key));
    filling.set(key, promise);
    return promise;
  };

  const unpinnedCount = () => {
    let count = 0;
    for (const entry of entries.values()) if (!entry.pinned) count++;
    return count;
  };

  let failing = false;
  const failed = (error: unknown, key: string | undefined) => {
    counters.failed++;
    counters.lastFailureAt = options.now();
    token = undefined; // whatever the token says next, refresh everything then
    failing = true;
    options.onError?.(error, key);
  };

  const refreshAll = async (reason: 'changed' | 'age') => {
    const now = options.now();
    // the renders of one round read the API once per address between them
    const round = { reads: {}, startedAt: now };
    for (const [key, entry] of [...entries]) {
      if (!entry.pinned && now - entry.lastRequestedAt > idleMs) {
        entries.delete(key);
        continue;
      }
      if (reason === 'age' && now - entry.snapshot.renderedAt < maxAgeMs) continue;
      // requests that arrived during the last render are answered before the next one starts
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const built = await build(entry.snapshot.source, key, round);
        if ('fresh' in built) {
          const current = entries.get(key);
          if (current && current.snapshot.renderedAt <= built.renderedAt) current.snapshot = built;
          counters.refreshed++;
        } else {
          throw new Error(`${key} answered ${built.status} on refresh; the last good snapshot stays`);
        }
      } catch (error) {
        failed(error, key);
        return; // the rest would fail alike; the next tick tries again
      }
    }
    if (failing) {
      failing = false;
      options.onRecover?.();
    }
  };

  /** One round: refresh everything when the change token moved (or was unknown), else what is too old. */
  const tick = async () => {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      let next: string | undefined;
      try {
        next = await options.changeToken();
      } catch (error) {
        failed(error, undefined);
        return;
      }
      const changed = next !== token;
      // changes come every second on a big, busy page: a full round at most every ten times its own cost
      // keeps refreshing to a tenth of the thread; the token is kept unseen until then. Measured with
      // bench/ingest-rate.ts (1,000 components, states changing every round): through `serve`, 6,000
      // results/s evaluated at five times, 7,250 at ten, 9,800 with no kept pages at all
      const now = options.now();
      // (after a failure, catching up comes first)
      if (changed && !failing && now - lastChangeRoundAt < Math.max(minChangeGapMs, lastRoundMs * 10)) return refreshAll('age');
      token = next;
      if (changed) lastChangeRoundAt = now;
      const started = options.now();
      await refreshAll(changed ? 'changed' : 'age');
      if (changed) lastRoundMs = options.now() - started;
    })().finally(() => (refreshing = undefined));
    return refreshing;
  };

  // after a write through this process, visitors wait (briefly, bounded) for the refresh it causes:
  // an operator who publishes an update and reloads sees it. The refresh renders every page on this
  // thread, so it starts once the writes pause: a request that follows a write (the update published
  // right after the incident was opened) is answered first instead of queueing behind the rendering
  let afterWrite: Promise<void> | undefined;
  let burst: { firstAt: number; timer: NodeJS.Timeout | undefined; done: () => void; promise: Promise<void> } | undefined;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  const invalidate = () => {
    lastWriteAt = options.now();
    const now = Date.now();
    if (!burst) {
      let done!: () => void;
      const promise = new Promise<void>((resolve) => (done = resolve));
      burst = { firstAt: now, timer: undefined, done, promise };
      afterWrite = promise;
    }
    const current = burst;
    clearTimeout(current.timer);
    current.timer = setTimeout(() => {
      burst = undefined; // a write from now on is refreshed by the next round
      void (refreshing ?? Promise.resolve())
        .then(() => refreshAll('changed'))
        .finally(() => {
          if (afterWrite === current.promise) afterWrite = undefined;
          current.done();
        });
    }, Math.max(0, Math.min(writeQuietMs, current.firstAt + writeMaxDelayMs - now)));
    return current.promise;
  };
  const settled = (waitMs: number): Promise<void> | undefined => {
    if (!afterWrite) return undefined;
    let timeout: NodeJS.Timeout | undefined;
    return Promise.race([afterWrite, new Promise<void>((resolve) => (timeout = setTimeout(resolve, waitMs)))]).finally(() => clearTimeout(timeout));
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    /** The snapshot for an address, if one is kept; counts as a request for it. */
    lookup(key: string): Snapshot | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entry.lastRequestedAt = options.now();
      return entry.snapshot;
    },
    /** The snapshot for an address, if one is kept, without counting as a request. */
    peek: (key: string): Snapshot | undefined => entries.get(key)?.snapshot,
    fill,
    /**
     * Makes `keys` the pinned addresses (kept and refreshed whether asked for
     * or not); those pinned before and not now are kept like any visitor's
     * address from here on. Returns the keys that have no snapshot yet.
     */
    pinOnly(keys: ReadonlySet<string>): string[] {
      for (const [key, entry] of entries) {
        if (entry.pinned && !keys.has(key)) entry.lastRequestedAt = options.now();
        entry.pinned = keys.has(key);
      }
      return [...keys].filter((key) => !entries.has(key));
    },
    tick,
    /** Something was written here: refresh every snapshot once the writes pause, whatever the change token says. */
    invalidate,
    /** A write is being answered: no render starts until the returned function is called (or a few seconds pass). */
    beginWrite,
    /** While a refresh caused by a write runs, a promise that ends with it or after `waitMs`; else undefined. */
    settled,
    /** True while a refresh caused by a write runs (what `settled` would wait for). */
    refreshingAfterWrite: () => afterWrite !== undefined,
    /** When the last write through this process was answered: a snapshot rendered before it may not show it. */
    lastWriteAt: () => lastWriteAt,
    /** Ticks every `everyMs` until `stop`. */
    start(everyMs = 1_000) {
      timer ??= setInterval(() => void tick(), everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (burst) {
        clearTimeout(burst.timer);
        burst.done();
        burst = undefined;
      }
      await refreshing;
      await afterWrite;
    },
    stats: () => ({ keys: entries.size, ...counters }),
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;

/** The out-of-date form of a snapshot's HTML: the same page with its hidden warning shown. */
export function staleBody(snapshot: Snapshot): Promise<EncodedBody> {
  snapshot.stale ??= encodeBody(Buffer.from(snapshot.fresh.identity.toString('utf8').replace(STALE_MARKER, 'data-snapshot-stale')));
  return snapshot.stale;
}
