import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedFile } from './site-branding.ts';

/** A logo may change with a restart, so browsers keep it an hour and then ask again (a 304 when it has not changed). */
const CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400';
/**
 * An SVG opened on its own is a document that could run script: this policy
 * lets it draw (and style itself) and nothing else, and `sandbox` makes it
 * an origin of its own. Shown through `<img>`, a browser never runs its script anyway.
 */
const FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/**
 * Answers GET/HEAD for a branding file (logo, favicon) from memory, with
 * ETag, Cache-Control and 304s. Returns false for every other request.
 */
export function serveSiteFile(req: IncomingMessage, res: ServerResponse, files: ReadonlyMap<string, ServedFile>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const file = files.get(path);
  if (!file) return false;
  const headers = {
    'content-type': file.contentType,
    'cache-control': CACHE_CONTROL,
    etag: file.etag,
    'content-security-policy': FILE_CSP,
    'x-content-type-options': 'nosniff',
  };
  const tags = req.headers['if-none-match'];
  if (tags && tags.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag || tag.trim() === '*')) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': file.bytes.length });
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
  return true;
}
