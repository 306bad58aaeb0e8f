import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '../http/errors.ts';

const gunzipAsync = promisify(gunzip);

/**
 * A result batch unpacked may be this large: 1,000 results with certificates
 * and notices at their limits fit, a gzip bomb does not (zlib stops there).
 */
export const MAX_UNPACKED_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Takes a body sent with `Content-Encoding: gzip` (probes compress their
 * batches: JSON of results shrinks about tenfold) and hands the handler the
 * unpacked bytes. The compressed body is limited like any other; the
 * unpacked one to `MAX_UNPACKED_BATCH_BYTES`. Another encoding is refused
 * with 415, so a sender can fall back to plain JSON.
 */
export const gunzipBody = createMiddleware(async (c, next) => {
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return next();
  if (encoding !== 'gzip') throw new DomainError('UNSUPPORTED_ENCODING', `Content-Encoding "${encoding}" is not taken; send gzip or no encoding`);
  let unpacked: Buffer;
  try {
    unpacked = await gunzipAsync(Buffer.from(await c.req.arrayBuffer()), { maxOutputLength: MAX_UNPACKED_BATCH_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DomainError('PAYLOAD_TOO_LARGE', `request body over ${MAX_UNPACKED_BATCH_BYTES} bytes once unpacked`);
    throw new DomainError('VALIDATION', `the body is not valid gzip: ${(error as Error).message}`);
  }
  // HonoRequest keeps each body it read as a promise in `bodyCache` (typed as the value): from here the
  // validator and the handler read the unpacked text instead of the compressed bytes read above
  c.req.bodyCache = { text: Promise.resolve(unpacked.toString('utf8')) as unknown as string };
  return next();
});
