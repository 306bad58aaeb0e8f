import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a subscriber must not make Statusvakt call: loopback, private, link-local, shared, unspecified, multicast. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['192.0.0.0', 24], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) INTERNAL.addSubnet(net, prefix, 'ipv6');

export function isInternalAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  // an IPv4-mapped IPv6 address is the IPv4 address it carries
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isInternalAddress(mapped[1]!);
  return INTERNAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks a webhook URL before it is stored and again before each call:
 * https only, and every address the name resolves to public, unless
 * `allowInternal` (STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL) says otherwise.
 * A refusal is data, with a reason a person can act on. An accepted URL
 * comes with the public addresses it resolved to, for the call to connect to.
 */
export async function checkWebhookUrl(raw: string, options: { allowInternal: boolean; resolve?: Resolver }): Promise<{ ok: true; url: URL; addresses: string[] } | { ok: false; reason: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL; give an absolute https:// address' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not accepted; the request is signed instead' };
  // allowed inside: nothing to check, so nothing to hold the call to (addresses empty)
  if (options.allowInternal) return url.protocol === 'https:' || url.protocol === 'http:' ? { ok: true, url, addresses: [] } : { ok: false, reason: 'only http(s) URLs can be called' };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be https://' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolver)(host);
  } catch {
    return { ok: false, reason: `the name ${host} does not resolve` };
  }
  const internal = addresses.filter(isInternalAddress);
  if (addresses.length === 0 || internal.length > 0) return { ok: false, reason: `${host} resolves to an internal address (${internal.join(', ') || 'none'}); Statusvakt only calls public addresses` };
  // the call connects to these, the addresses checked, not to whatever the name resolves to by then
  return { ok: true, url, addresses };
}
