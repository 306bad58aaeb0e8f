import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, type EncodedBody } from './encode-body.ts';
import { addressLanguage, errorPage, UNAVAILABLE_MESSAGE } from './error-pages.ts';
import { snapshotKeyOf, type SnapshotSource } from './snapshot-key.ts';
import { staleBody, type Rendered, type Snapshot, type SnapshotStore } from './snapshot-store.ts';

type Encoding = 'br' | 'gzip' | 'identity';

/** Shared caches may keep a page briefly, and keep showing it while we cannot answer. */
const CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=30, stale-if-error=86400';

/**
 * The request handler in front of the site and the public JSON: answers
 * from snapshots (304 to a matching `If-None-Match`, brotli or gzip when
 * accepted) and returns false for every request that is not for one.
 */
export function createSnapshotHandler(args: {
  store: SnapshotStore;
  now: () => number;
  staleAfterMs?: number;
  writeWaitMs?: number;
  /** The security headers every answer carries (cli/request-guard.ts), added here on the path that skips the guard (`answerKept`). */
  securityHeaders?: (https: boolean) => Record<string, string>;
}) {
  const staleAfterMs = args.staleAfterMs ?? 120_000;
  const writeWaitMs = args.writeWaitMs ?? 2_000;

  // headers are worked out once per snapshot and encoding: serving is then a lookup and a buffer write
  const headerCache = new WeakMap<EncodedBody, Map<Encoding, { ok: Record<string, string | number>; notModified: Record<string, string> }>>();
  const headersFor = (snapshot: Snapshot, body: EncodedBody, encoding: Encoding) => {
    let byEncoding = headerCache.get(body);
    if (!byEncoding) headerCache.set(body, (byEncoding = new Map()));
    let headers = byEncoding.get(encoding);
    if (!headers) {
      const notModified = {
        'cache-control': CACHE_CONTROL,
        etag: encoding === 'identity' ? body.etag : `${body.etag.slice(0, -1)}-${encoding}"`,
        'last-modified': new Date(snapshot.renderedAt).toUTCString(),
        vary: 'Accept-Encoding',
      };
      const ok = { ...notModified, 'content-type': snapshot.contentType, 'content-length': body[encoding].length, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) };
      byEncoding.set(encoding, (headers = { ok, notModified }));
    }
    return headers;
  };

  const sendBody = (req: IncomingMessage, res: ServerResponse, snapshot: Snapshot, body: EncodedBody) => {
    const encoding: Encoding = body.gzip === body.identity ? 'identity' : chooseEncoding(req.headers['accept-encoding']);
    const headers = headersFor(snapshot, body, encoding);
    if (matches(req.headers['if-none-match'], body.etag)) {
      res.writeHead(304, headers.notModified).end();
      return;
    }
    res.writeHead(200, headers.ok);
    res.end(req.method === 'HEAD' ? undefined : body[encoding]);
  };

  const isStale = (snapshot: Snapshot) => args.now() - snapshot.renderedAt > staleAfterMs && snapshot.contentType.startsWith('text/html');
  const send = async (req: IncomingMessage, res: ServerResponse, snapshot: Snapshot) =>
    sendBody(req, res, snapshot, isStale(snapshot) ? await staleBody(snapshot) : snapshot.fresh);

  const sendRendered = (req: IncomingMessage, res: ServerResponse, rendered: Rendered) => {
    res.writeHead(rendered.status, { 'content-type': rendered.contentType, 'content-length': rendered.body.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : rendered.body);
  };

  const unavailable = (req: IncomingMessage, res: ServerResponse, source: SnapshotSource) => {
    if (res.headersSent) return void res.destroy();
    const headers = { 'retry-after': '30', 'cache-control': 'no-store' };
    // a JSON route answers in JSON, as its other errors do; a page in the reader's language
    if (source === 'api') {
      res.writeHead(503, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE } }));
    } else {
      res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(errorPage('unavailable', addressLanguage(req.url, req.headers['accept-language'])));
    }
  };

  /** A render of the address begun after the last write: one already under way then (a plan, another visitor's) shows the page as it was. */
  const renderSinceLastWrite = async (target: { source: SnapshotSource; key: string }) => {
    const made = await args.store.fill(target.source, target.key);
    return 'fresh' in made && made.renderedAt < args.store.lastWriteAt() ? args.store.fill(target.source, target.key) : made;
  };

  // every header of the common answer, the security headers too, in the flat form `writeHead` takes as it is
  const fastCache = new WeakMap<EncodedBody, Map<string, (string | number)[]>>();
  const fastHeadersFor = (snapshot: Snapshot, encoding: Encoding, status: 200 | 304, https: boolean) => {
    let byKind = fastCache.get(snapshot.fresh);
    if (!byKind) fastCache.set(snapshot.fresh, (byKind = new Map()));
    const kind = `${encoding}${status}${https ? 's' : ''}`;
    let flat = byKind.get(kind);
    if (!flat) {
      const own = headersFor(snapshot, snapshot.fresh, encoding);
      flat = Object.entries({ ...args.securityHeaders?.(https), ...(status === 200 ? own.ok : own.notModified) }).flat();
      byKind.set(kind, flat);
    }
    return flat;
  };
  const encodingOf = memoizedEncodingChoice();

  /**
   * The request most visitors make, answered with the least work: GET or
   * HEAD of a kept, current snapshot by its exact address (no query string,
   * so the address is its own key), outside the few seconds after a write.
   * Everything else (and the widget, whose framing headers differ) returns
   * false for the full handler. Each view costs a lookup and one write.
   */
  const answerKept = (req: IncomingMessage, res: ServerResponse, https: boolean): boolean => {
    const url = req.url;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || url === undefined || url.includes('?') || url.endsWith('/widget/') || args.store.refreshingAfterWrite()) return false;
    const kept = args.store.lookup(url);
    if (!kept || isStale(kept)) return false;
    const body = kept.fresh;
    const encoding: Encoding = body.gzip === body.identity ? 'identity' : encodingOf(req.headers['accept-encoding']);
    if (matches(req.headers['if-none-match'], body.etag)) {
      res.writeHead(304, fastHeadersFor(kept, encoding, 304, https)).end();
      return true;
    }
    res.writeHead(200, fastHeadersFor(kept, encoding, 200, https));
    res.end(req.method === 'HEAD' ? undefined : body[encoding]);
    return true;
  };

  /** True when the request is answered here; false to hand it to the live handlers. */
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const target = snapshotKeyOf(req.method, req.url);
    if (!target) {
      if (changesWhatIsShown(req)) {
        // the write is answered before any page is rendered again, then the pages are refreshed
        res.once('close', args.store.beginWrite());
        res.once('finish', () => void args.store.invalidate().catch(() => undefined));
      }
      return false;
    }
    const waiting = args.store.settled(writeWaitMs);
    if (!waiting) {
      // the common case, answered without a promise: a kept, current snapshot
      const kept = args.store.lookup(target.key);
      if (kept && !isStale(kept)) {
        sendBody(req, res, kept, kept.fresh);
        return true;
      }
    }
    const answer = async () => {
      await waiting;
      const kept = args.store.lookup(target.key);
      if (kept && (!waiting || kept.renderedAt >= args.store.lastWriteAt())) return send(req, res, kept);
      // the first visitor of an address renders it once, and everyone who asks meanwhile waits for that one render;
      // after a write the refresh round may not have reached this address in the time a visitor waits (a round
      // renders every kept address in turn): it is rendered now, so whoever wrote sees what they wrote
      const made = await renderSinceLastWrite(target).catch((error: unknown) => {
        if (kept) return undefined; // the last good page rather than none
        throw error;
      });
      if (made && 'fresh' in made) return send(req, res, made);
      if (kept) return send(req, res, kept);
      // a render that failed (its data could not be read) is no answer of the address's own, not even its 404: try again later
      if (made!.status >= 500) return unavailable(req, res, target.source);
      return sendRendered(req, res, made!);
    };
    answer().catch(() => unavailable(req, res, target.source));
    return true;
  };
  return Object.assign(handle, { answerKept });
}

/** `chooseEncoding` remembered for the few Accept-Encoding values browsers and tools send (bounded, so odd values cannot grow it). */
function memoizedEncodingChoice() {
  const chosen = new Map<string | undefined, Encoding>();
  return (acceptEncoding: string | undefined): Encoding => {
    let encoding = chosen.get(acceptEncoding);
    if (encoding === undefined) {
      encoding = chooseEncoding(acceptEncoding);
      if (chosen.size < 64) chosen.set(acceptEncoding, encoding);
    }
    return encoding;
  };
}

/** Writes by operators (incidents, windows, exclusions); not probes' results or logins, which come all the time. */
function changesWhatIsShown(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const path = req.url ?? '';
  return !path.startsWith('/api/v1/probe/') && !path.startsWith('/api/v1/auth/') && !path.startsWith('/console/login');
}

/** Weak comparison (RFC 9110 §13.1.2): any listed tag naming the same content, in any encoding, or `*`. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const base = etag.slice(1, -1);
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag.replace(/^"|"$/g, '').replace(/-(br|gzip)$/, '') === base;
  });
}
