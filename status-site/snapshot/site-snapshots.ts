import { createSnapshotHandler } from './serve-snapshot.ts';
import { renderInMemory, type NodeHandler } from './render-in-memory.ts';
import { createSnapshotStore, type Rendered } from './snapshot-store.ts';
import type { SnapshotSource } from './snapshot-key.ts';
import { renderBadge, type BadgeStatus } from './render-badge.ts';
import { renderWidget } from './render-widget.ts';
import { embedNotFoundPage } from './embed-not-found.ts';
import { coreAddresses, incidentLinksOf } from './core-addresses.ts';
import { createRoundReads } from './round-reads.ts';

/**
 * The public site and JSON served from snapshots: builds the store, renders
 * and pins the core addresses of every page in every language
 * (`coreAddresses`), and refreshes them every second when something changed
 * (else every `maxAgeMs`).
 */
export function startSiteSnapshots(args: {
  /** The API, asked in process (`app.request`; `env` as Hono's env). */
  fetchApi: (path: string, env?: object) => Promise<Response>;
  site: NodeHandler;
  /** What the site's pages get in `Astro.locals`. */
  locals: object;
  changeToken: () => Promise<string>;
  now?: () => number;
  maxAgeMs?: number;
  staleAfterMs?: number;
  /** How often the kept addresses are worked out again (new components, incidents, languages). */
  replanMs?: number;
  /** The security headers of every answer, for the path that answers a kept page before anything else runs (`answerKept`). */
  securityHeaders?: (https: boolean) => Record<string, string>;
  onError?: (error: unknown, key: string | undefined) => void;
  onRecover?: () => void;
  /** After each plan: how many addresses are kept ready, and how many of them could not be rendered. */
  onPlanned?: (figures: { addresses: number; missing: number }) => void;
}) {
  const now = args.now ?? Date.now;
  const store = createSnapshotStore({
    now,
    changeToken: args.changeToken,
    ...(args.maxAgeMs !== undefined ? { maxAgeMs: args.maxAgeMs } : {}),
    ...(args.onError ? { onError: args.onError } : {}),
    ...(args.onRecover ? { onRecover: args.onRecover } : {}),
    render: createPublicRenderer(args),
  });
  const handle = createSnapshotHandler({
    store,
    now,
    ...(args.staleAfterMs !== undefined ? { staleAfterMs: args.staleAfterMs } : {}),
    ...(args.securityHeaders ? { securityHeaders: args.securityHeaders } : {}),
  });

  // the core addresses are planned from the API (so from the database) at start and then every `replanMs`;
  // while the database is away the last plan stays, and so do its snapshots
  const fetchJson = async (path: string) => {
    const response = await args.fetchApi(path);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} while planning the kept pages`);
    return response.json() as Promise<unknown>;
  };
  const plan = async () => {
    const addresses = await coreAddresses(fetchJson);
    const keys = new Set(addresses.map((address) => address.key));
    const sourceOf = new Map(addresses.map((address) => [address.key, address.source]));
    // what a front page links to (its incidents) is kept with it
    for (const address of addresses) {
      if (address.source !== 'site' || !/^(\/pages\/[^/]+)?(\/[a-z]{2})?\/$/.test(address.key)) continue;
      const front = store.peek(address.key) ?? (await fillOrSkip('site', address.key));
      for (const link of front ? incidentLinksOf(front.fresh.identity.toString('utf8')) : []) {
        keys.add(link);
        sourceOf.set(link, 'site');
      }
    }
    let missing = 0;
    for (const key of store.pinOnly(keys)) if (!(await fillOrSkip(sourceOf.get(key)!, key))) missing++;
    if (!stopped) args.onPlanned?.({ addresses: keys.size, missing });
  };
  const fillOrSkip = async (source: SnapshotSource, key: string) => {
    if (stopped) return undefined;
    try {
      const made = await store.fill(source, key, true);
      return 'fresh' in made ? made : undefined;
    } catch (error) {
      // one address that cannot be rendered does not keep the others from being kept; the next plan tries it again
      args.onError?.(error, key);
      return undefined;
    }
  };
  let stopped = false;
  let planInProgress = false;
  const planOnce = () => {
    planInProgress = true;
    return plan()
      .catch((error: unknown) => args.onError?.(error, undefined))
      .finally(() => (planInProgress = false));
  };
  let planning = planOnce();
  const warmed = planning;
  const replan = setInterval(() => {
    // a plan slower than the interval (a database that does not answer) is not queued behind again
    if (!planInProgress) planning = planOnce();
  }, args.replanMs ?? 60_000);
  replan.unref();
  store.start();
  return {
    /** True when the request was answered from a snapshot; false to route it live. */
    handle,
    /** The common case alone (a kept, current page by its exact address), answered before any other work; false for everything else. */
    answerKept: handle.answerKept,
    warmed,
    stats: store.stats,
    stop: async () => {
      stopped = true;
      clearInterval(replan);
      await planning;
      await store.stop();
    },
  };
}

/** Renders one public address as a visitor would get it: a site page through the site's handler, JSON through the API in process. */
export function createPublicRenderer(args: { fetchApi: (path: string, env?: object) => Promise<Response>; site: NodeHandler; locals: object }) {
  const rounds = new WeakMap<object, ReturnType<typeof createRoundReads>>();
  return async (source: SnapshotSource, key: string, round?: object): Promise<Rendered> => {
    let reads = round ? rounds.get(round) : undefined;
    if (round && !reads) rounds.set(round, (reads = createRoundReads(args)));
    return renderOne({ ...args, ...(reads ?? {}) }, source, key);
  };
}

type RenderArgs = {
  fetchApi: (path: string) => Promise<Response>;
  /** A refresh round's answers as kept (round-reads.ts): their bytes go into the snapshot without a copy. */
  fetchKept?: (path: string) => Promise<{ status: number; headers: [string, string][]; body: Buffer }>;
  site: NodeHandler;
  locals: object;
};

async function renderOne(args: RenderArgs, source: SnapshotSource, key: string): Promise<Rendered> {
  if (source === 'embed') return renderEmbedAt(key, args.fetchApi);
  if (source === 'site') {
    const page = await renderInMemory(args.site, key, args.locals);
    return page.contentType === 'text/html' ? { ...page, contentType: 'text/html; charset=utf-8' } : page;
  }
  if (args.fetchKept) {
    const kept = await args.fetchKept(key);
    return { status: kept.status, contentType: kept.headers.find(([name]) => name === 'content-type')?.[1] ?? 'application/json', body: kept.body };
  }
  const response = await args.fetchApi(key);
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(await response.arrayBuffer()) };
}

/** `/pages/{id}[/components/{cid}]/badge.svg[?lang=]` and `/pages/{id}/widget/[?lang=]`, drawn from the page's public status. */
async function renderEmbedAt(key: string, fetchApi: (path: string) => Promise<Response>): Promise<Rendered> {
  const url = new URL(key, 'http://badge');
  const [, , pageId, , componentId] = url.pathname.split('/');
  const language = url.searchParams.get('lang') ?? undefined;
  const notFound = (what: 'page' | 'component' | 'language', id: string, fallback = 'da'): Rendered => ({
    status: 404,
    contentType: 'text/html; charset=utf-8',
    body: Buffer.from(embedNotFoundPage({ what, id, language, fallback })),
  });
  // a badge and the widget show today's states: the 90 days of bars would only be parsed and dropped
  const response = await fetchApi(`/api/v1/pages/${pageId}/status?days=1`);
  if (response.status === 404) return notFound('page', pageId ?? '');
  if (response.status !== 200) return { status: response.status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(`the page status answered ${response.status}\n`) };
  const status = (await response.json()) as BadgeStatus;
  const fallback = status.page.defaultLanguage;
  if (language !== undefined && !status.page.languages.includes(language)) return notFound('language', language, fallback);
  if (url.pathname.endsWith('/widget/')) {
    const html = renderWidget(status, { language });
    return html === undefined ? notFound('language', language ?? '', fallback) : { status: 200, contentType: 'text/html; charset=utf-8', body: Buffer.from(html) };
  }
  const svg = renderBadge(status, { componentId: componentId || undefined, language });
  if (svg === undefined) return notFound('component', componentId ?? '', fallback);
  return { status: 200, contentType: 'image/svg+xml; charset=utf-8', body: Buffer.from(svg) };
}
