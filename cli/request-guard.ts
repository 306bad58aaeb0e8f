import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { BlockList } from 'node:net';
import { CLIENT_ADDRESS_HEADER, CLIENT_PROTO_HEADER, resolveClient } from '../api/index.ts';

/** Form posts to the site (console): the largest is an incident update of 5,000 characters per language. */
export const MAX_SITE_BODY_BYTES = 256 * 1024;
/** The API's own limit (api/app.ts); checked here too, so an over-long body is refused before Hono sees it. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

// no inline script anywhere (the pages have none); styles are inlined by the site build
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The security headers of every answer. One route may be framed, by the
 * origins its page lists (a page's widget): it alone gets them, and no
 * X-Frame-Options.
 */
export function securityHeaders(args: { https: boolean; frameAncestors?: readonly string[] }): Record<string, string> {
  const framed = args.frameAncestors !== undefined && args.frameAncestors.length > 0;
  return {
    'content-security-policy': framed ? CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", `frame-ancestors ${args.frameAncestors!.join(' ')}`) : CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(framed ? {} : { 'x-frame-options': 'DENY' }),
    'cross-origin-opener-policy': 'same-origin',
    ...(args.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Whether the visitor reached us over HTTPS, directly or through a trusted proxy that says so. */
export function clientIsHttps(req: IncomingMessage, trusted: BlockList): boolean {
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  const proto = req.headers['x-forwarded-proto'];
  if (proto === undefined) return encrypted;
  return resolveClient({ remoteAddress: req.socket.remoteAddress, encrypted, forwardedFor: undefined, forwardedProto: Array.isArray(proto) ? proto.join(',') : proto, trusted }).https;
}

/** Replaces a header in both views of the request (handlers read `rawHeaders` or `headers`), dropping whatever the client sent under that name. */
function setOwnHeader(req: IncomingMessage, name: string, value: string): void {
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() !== name) raw.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  raw.push(name, value);
  Object.defineProperty(req, 'rawHeaders', { value: raw, configurable: true, writable: true });
  req.headers[name] = value;
}

/**
 * Runs before any handler: sets the real client address and protocol
 * (X-Forwarded-* only from trusted proxies), the security headers of every
 * response, and refuses a site request whose body is too large or of unknown
 * length before a byte of it is read. Returns false when it has answered.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, args: { trusted: BlockList; api: boolean; frameAncestors?: readonly string[] }): boolean {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const client = resolveClient({ remoteAddress: req.socket.remoteAddress, encrypted: (req.socket as TLSSocket).encrypted === true, forwardedFor: header('x-forwarded-for'), forwardedProto: header('x-forwarded-proto'), trusted: args.trusted });
  setOwnHeader(req, CLIENT_ADDRESS_HEADER, client.address);
  setOwnHeader(req, CLIENT_PROTO_HEADER, client.https ? 'https' : 'http');

  for (const [name, value] of Object.entries(securityHeaders({ https: client.https, ...(args.frameAncestors ? { frameAncestors: args.frameAncestors } : {}) }))) res.setHeader(name, value);

  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
  const length = header('content-length');
  const refuse = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': String(res.getHeader('content-type') ?? 'text/plain; charset=utf-8'), connection: 'close' }).end(message);
    req.resume(); // discard without buffering; the connection closes after the answer
    return false;
  };
  const max = args.api ? MAX_API_BODY_BYTES : MAX_SITE_BODY_BYTES;
  // the API counts a chunked body as it reads it (Hono's body limit); the site's form posts must say their length
  if (length === undefined) return !args.api && header('transfer-encoding') ? refuse(411, 'a form post must say its Content-Length\n') : true;
  if (!/^\d+$/.test(length) || Number(length) > max) {
    if (!args.api) return refuse(413, `a form post may have at most ${max} bytes\n`);
    res.setHeader('content-type', 'application/json');
    return refuse(413, `${JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: `request body over ${max} bytes` } })}\n`);
  }
  return true;
}
