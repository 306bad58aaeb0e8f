import { BlockList, isIP } from 'node:net';

/**
 * Headers the HTTP server sets on every request it accepts, after removing
 * any a client sent: the real client address and whether the client used
 * HTTPS, both worked out from the socket and, only for a trusted proxy,
 * X-Forwarded-For / X-Forwarded-Proto. The API and the console read these
 * and never X-Forwarded-* themselves.
 */
export const CLIENT_ADDRESS_HEADER = 'x-statusvakt-client-address';
export const CLIENT_PROTO_HEADER = 'x-statusvakt-client-proto';

/** A list of trusted proxies (addresses or CIDR blocks, separated by commas), or what is wrong with it. */
export function parseTrustedProxies(text: string | undefined): { ok: true; list: BlockList } | { ok: false; message: string } {
  const list = new BlockList();
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      return { ok: false, message: `"${entry}" is not an IP address or CIDR block (e.g. 10.0.0.5 or 10.0.0.0/8)` };
    }
    list.addSubnet(address!, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { ok: true, list };
}

const bare = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

function isTrusted(list: BlockList, address: string): boolean {
  const plain = bare(address);
  const family = isIP(plain);
  return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client behind a request: the socket's peer, unless that peer is a
 * trusted proxy; then X-Forwarded-For is read from the right, skipping
 * trusted proxies, and the first untrusted address is the client. A client
 * can put anything in the header, but only a trusted proxy's additions count.
 */
export function resolveClient(args: { remoteAddress: string | undefined; encrypted: boolean; forwardedFor: string | undefined; forwardedProto: string | undefined; trusted: BlockList }): { address: string; https: boolean } {
  const peer = bare(args.remoteAddress ?? 'unknown');
  if (!isTrusted(args.trusted, peer)) return { address: peer, https: args.encrypted };
  const hops = (args.forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  let address = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    address = bare(hops[i]!);
    if (!isTrusted(args.trusted, address)) break;
  }
  const proto = args.forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return { address: isIP(address) ? address : peer, https: proto === undefined ? args.encrypted : proto === 'https' };
}
