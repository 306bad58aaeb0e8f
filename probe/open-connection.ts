import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import type { PhaseClock } from './phase-clock.ts';
import { settled, withDeadline } from './socket-steps.ts';

export type IpFamily = 'auto' | 'ipv4' | 'ipv6';
const FAMILY = { auto: 0, ipv4: 4, ipv6: 6 } as const;

/**
 * Resolves `host` (unless it is an address) and opens a TCP connection to it,
 * timing the `dns` and `connect` phases on `clock`. Rejects with the socket's
 * error, or when `signal` aborts (the socket is then destroyed).
 */
export async function openConnection(args: { host: string; port: number; ipFamily: IpFamily; signal: AbortSignal; clock: PhaseClock }): Promise<{ socket: Socket; address: string }> {
  let address = args.host;
  if (isIP(args.host) === 0) {
    address = (await withDeadline(lookup(args.host, { family: FAMILY[args.ipFamily], verbatim: true }), args.signal)).address;
    args.clock.enter('connect');
  } else {
    args.clock.skipTo('connect'); // no lookup, no DNS time
  }
  const socket = tcpConnect({ host: address, port: args.port });
  try {
    await withDeadline(settled(socket, 'connect'), args.signal, () => socket.destroy());
  } catch (error) {
    socket.destroy();
    throw error;
  }
  // later steps listen for errors while they work; one arriving between them must not crash the probe
  socket.on('error', () => {});
  return { socket, address };
}
