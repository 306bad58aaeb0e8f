import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One body in the forms a client may ask for, with the tag that names its content. */
export type EncodedBody = { etag: string; identity: Buffer; gzip: Buffer; br: Buffer };

/** Bodies this small are sent as they are: compressing them saves less than the header costs. */
const MIN_COMPRESS_BYTES = 512;

/**
 * Compresses once per snapshot, on the thread pool (node:zlib's async calls),
 * so serving costs a buffer write and a refresh does not block requests.
 */
export async function encodeBody(body: Buffer): Promise<EncodedBody> {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  if (body.length < MIN_COMPRESS_BYTES) return { etag, identity: body, gzip: body, br: body };
  const [gz, br] = await Promise.all([
    gzipAsync(body, { level: 6 }),
    // quality 5 compresses a page about as well as gzip -9 in a fraction of brotli 11's time
    brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  ]);
  return { etag, identity: body, gzip: gz, br };
}

/** The encoding to send for an `Accept-Encoding` header: brotli, then gzip, then none. */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}
