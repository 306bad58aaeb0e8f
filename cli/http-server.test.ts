import { Agent, request } from 'node:http';
import { OpenAPIHono } from '@hono/zod-openapi';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { App } from '../api/index.ts';
import { listen } from './http-server.ts';

const LARGE_BYTES = 10 * 1024 * 1024;

/** An API whose routes answer after `ms` (a request in flight when the server is told to stop), one of them with 10 MB. */
function slowApi(ms: number): App {
  const app = new OpenAPIHono();
  app.get('/api/v1/slow', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return c.json({ ok: true });
  });
  app.get('/api/v1/large', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return c.body(new Uint8Array(LARGE_BYTES).fill(120), 200, { 'content-type': 'application/octet-stream' });
  });
  return app as unknown as App;
}

/** A GET over `agent` (kept alive), with the answer's status and Connection header. */
function get(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('a kept-alive connection', () => {
  it('stays open while idle past Node\'s usual 5 s, so a client that reuses it later is not reset', async () => {
    const server = await listen({ app: slowApi(0), site: (_req, res) => void res.end(), host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const base = server.url.replace('localhost', '127.0.0.1');
    const sockets = new Set<unknown>();
    const track = (req: ReturnType<typeof request>) => req.on('socket', (socket) => sockets.add(socket));
    try {
      await new Promise<void>((resolve, reject) => track(request(`${base}/api/v1/slow`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject)).end());
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      const again = await new Promise<number>((resolve, reject) => track(request(`${base}/api/v1/slow`, { agent }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).on('error', reject)).end());
      expect(again).toBe(200);
      // the same connection, still open after 6.5 s idle
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
      await server.close();
    }
  }, 15_000);
});

describe('stopping the HTTP server', () => {
  it('answers the request in flight and then closes its kept-alive connection at once, not after the keep-alive time', async () => {
    const server = await listen({ app: slowApi(300), site: (_req, res) => void res.end(), host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const inFlight = get(agent, `${server.url.replace('localhost', '127.0.0.1')}/api/v1/slow`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const began = performance.now();
      await server.close();
      const closeMs = performance.now() - began;
      expect((await inFlight).status).toBe(200);
      // the answer takes 200 ms more; Node's keep-alive time (5 s) would hold the close far longer
      expect(closeMs).toBeLessThan(2_000);
    } finally {
      agent.destroy();
    }
  });

  it('asks a client to close a kept-alive connection that sends another request while it stops', async () => {
    const server = await listen({ app: slowApi(300), site: (_req, res) => void res.end(), host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const base = server.url.replace('localhost', '127.0.0.1');
    try {
      const first = get(agent, `${base}/api/v1/slow`);
      // queued behind the first on the same socket: sent once the first is answered, after the close began
      const second = get(agent, `${base}/api/v1/slow`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closed = server.close();
      const answers = await Promise.allSettled([first, second]);
      await closed;
      expect(answers[0]).toMatchObject({ status: 'fulfilled', value: { status: 200 } });
      // the second either reached the server before its connection was closed (and was told to close it) or found it closed
      if (answers[1]!.status === 'fulfilled') expect(answers[1]!.value).toMatchObject({ status: 200, connection: 'close' });
    } finally {
      agent.destroy();
    }
  });

  it('sends a large answer begun while it stops in full to a slow reader', async () => {
    const server = await listen({ app: slowApi(300), site: (_req, res) => void res.end(), host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });
    const agent = new Agent({ keepAlive: true });
    try {
      let received = 0;
      const done = new Promise<number>((resolve, reject) => {
        request(`${server.url.replace('localhost', '127.0.0.1')}/api/v1/large`, { agent }, (res) => {
          // a reader slower than the server: the answer is ended (after the close began) long before it is all sent
          res.pause();
          setTimeout(() => res.resume(), 500);
          res.on('data', (chunk: Buffer) => (received += chunk.length));
          res.on('end', () => resolve(received));
          res.on('error', reject);
        })
          .on('error', reject)
          .end();
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all([server.close(), done]);
      expect(received).toBe(LARGE_BYTES);
    } finally {
      agent.destroy();
    }
  });
});
