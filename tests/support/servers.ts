import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { TestCert } from './certificates.ts';

export type TestServer = {
  port: number;
  url: string;
  /** TCP connections accepted and TLS sessions that were resumptions, counted on the server side. */
  counts: { connections: number; resumedSessions: number };
  close: () => Promise<void>;
};

async function listenOnLoopback(server: Server | HttpsServer, sockets: Set<Socket>, host = '127.0.0.1'): Promise<TestServer> {
  const counts = { connections: 0, resumedSessions: 0 };
  server.on('secureConnection', (socket: import('node:tls').TLSSocket) => {
    if (socket.isSessionReused()) counts.resumedSessions++;
  });
  server.on('connection', (socket: Socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    port: address.port,
    url: `https://127.0.0.1:${address.port}/`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A real HTTPS server on the loopback (127.0.0.1 unless `host` says ::1) with the given certificate and request handler. */
export function startHttpsServer(cert: TestCert, handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<TestServer> {
  const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  return listenOnLoopback(server, new Set(), host);
}

/** Accepts TCP connections and never says a word. */
export function startSilentServer(): Promise<TestServer> {
  return listenOnLoopback(createTcpServer(() => {}), new Set());
}

/** Accepts TCP connections and resets them at once. */
export function startResettingServer(): Promise<TestServer> {
  return listenOnLoopback(createTcpServer((socket) => socket.resetAndDestroy()), new Set());
}

/** Speaks plain HTTP where TLS is expected: answers any bytes with an HTTP 400, as a web server on the wrong port does. */
export function startPlainHttpServer(): Promise<TestServer> {
  return listenOnLoopback(
    createTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
      socket.on('error', () => {});
    }),
    new Set(),
  );
}

/** A real TLS server (LDAPS, IMAPS and the like) with the given certificate: it completes the handshake and then says nothing. */
export function startTlsServer(cert: TestCert): Promise<TestServer> {
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => socket.on('error', () => {}));
  server.on('tlsClientError', () => {});
  return listenOnLoopback(server as unknown as Server, new Set());
}

/** A plain TCP listener that takes connections and closes them at once (a port that is open). */
export function startTcpListener(): Promise<TestServer> {
  return listenOnLoopback(createTcpServer((socket) => socket.end()), new Set());
}
