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
  const etag = `"${(await sha256InSlices(body)).slice(0, 22)}"`;
  if (body.length < MIN_COMPRESS_BYTES) return { etag, identity: body, gzip: body, br: body };
  const [gz, br] = await Promise.all([
    gzipAsync(body, { level: 6 }),
    // quality 5 compresses a page about as well as gzip -9 in a fraction of brotli 11's time
    brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  ]);
  return { etag, identity: body, gzip: gz, br };
}

/** Hashed a megabyte at a time, letting waiting requests in between: a 10 MB page status takes about 6 ms to hash. */
const HASH_SLICE_BYTES = 1 << 20;

async function sha256InSlices(body: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < body.length; offset += HASH_SLICE_BYTES) {
    if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
    hash.update(body.subarray(offset, offset + HASH_SLICE_BYTES));
  }
  return hash.digest('base64url');
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
