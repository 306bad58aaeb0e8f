import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Phase } from './classify-error.ts';

/**
 * HTTP agents for a client we do not time ourselves (the AWS SDK): they keep
 * the sockets they open, so when a call passes its deadline we can tell which
 * phase it stalled in — still connecting, in the TLS handshake, or connected
 * and waiting for the answer.
 */
export function trackedAgents(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent; stalledPhase: () => Phase; destroy: () => void } {
  const open = new Set<Socket>();
  const handshaking = new Set<Socket>();
  const track = <T extends Socket>(socket: T, tls: boolean): T => {
    open.add(socket);
    if (tls) {
      handshaking.add(socket);
      socket.once('secureConnect', () => handshaking.delete(socket));
    }
    socket.once('close', () => {
      open.delete(socket);
      handshaking.delete(socket);
    });
    return socket;
  };
  class TrackedHttp extends HttpAgent {
    override createConnection(...args: Parameters<HttpAgent['createConnection']>) {
      return track(super.createConnection(...args) as Socket, false);
    }
  }
  class TrackedHttps extends HttpsAgent {
    override createConnection(...args: Parameters<HttpsAgent['createConnection']>) {
      return track(super.createConnection(...args) as Socket, true);
    }
  }
  const httpAgent = new TrackedHttp({ keepAlive: true });
  const httpsAgent = new TrackedHttps({ keepAlive: true });
  return {
    httpAgent,
    httpsAgent,
    // the earliest phase any open socket is in: a call stuck connecting is not a slow answer
    stalledPhase: () => {
      const sockets = [...open];
      if (sockets.length === 0 || sockets.some((s) => s.connecting)) return 'connect';
      if (sockets.some((s) => handshaking.has(s))) return 'tls';
      return 'firstByte';
    },
    destroy: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
