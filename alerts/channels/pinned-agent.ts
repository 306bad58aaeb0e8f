import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An HTTP agent whose connections go to `address` whatever the URL's host
 * name resolves to now: the name still goes into TLS (SNI, the certificate
 * check) and the Host header, but the address is the one that was checked,
 * so a name re-pointed between the check and the call (DNS rebinding) cannot
 * send the request inside. One connection; close it after the call.
 */
export function pinnedAgent(address: string, options: { ca?: readonly string[] | undefined } = {}): Agent {
  const family = isIP(address);
  if (family === 0) throw new Error(`"${address}" is not an IP address`);
  const lookup = (_host: string, lookupOptions: LookupOptions, callback: LookupCallback) => {
    if (lookupOptions.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return new Agent({ connections: 1, connect: { lookup: lookup as never, ...(options.ca ? { ca: [...options.ca] } : {}) } });
}
