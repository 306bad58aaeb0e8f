import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rendered } from './snapshot-store.ts';

/** A Node-style handler, as the site's build exports it. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void, locals: object) => Promise<void> | void;

/**
 * Runs a Node-style handler for `GET path` with no socket behind it and
 * collects what it writes. The site's adapter uses only the calls below
 * (writeHead, write, end and the close/finish events).
 */
export function renderInMemory(handler: NodeHandler, path: string, locals: object): Promise<Rendered> {
  return new Promise<Rendered>((resolve, reject) => {
    const socket = Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', encrypted: false, destroyed: false });
    const req = Object.assign(new EventEmitter(), { method: 'GET', url: path, headers: { host: 'localhost', accept: 'text/html' }, socket });
    const chunks: Buffer[] = [];
    let status = 200;
    let contentType = 'application/octet-stream';
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ status, contentType, body: Buffer.concat(chunks) });
      res.emit('finish');
      res.emit('close');
    };
    const toBuffer = (chunk: unknown) => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    const res = Object.assign(new EventEmitter(), {
      req,
      statusCode: 200,
      statusMessage: '',
      headersSent: false,
      writeHead(code: number, ...rest: unknown[]) {
        status = code;
        const headers = rest.find((r) => typeof r === 'object' && r !== null) as Record<string, unknown> | undefined;
        const type = headers && Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
        if (typeof type === 'string') contentType = type;
        res.headersSent = true;
        return res;
      },
      setHeader(name: string, value: unknown) {
        if (name.toLowerCase() === 'content-type' && typeof value === 'string') contentType = value;
        return res;
      },
      write(chunk: unknown, ...rest: unknown[]) {
        if (!res.headersSent) res.writeHead(res.statusCode);
        chunks.push(toBuffer(chunk));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      },
      end(chunk?: unknown) {
        if (!res.headersSent) res.writeHead(res.statusCode);
        if (chunk !== undefined && typeof chunk !== 'function') chunks.push(toBuffer(chunk));
        finish();
        return res;
      },
      destroy(error?: unknown) {
        finish(error ?? new Error(`rendering ${path} was aborted`));
      },
    });
    const notFound = () => {
      status = 404;
      finish();
    };
    Promise.resolve(handler(req as unknown as IncomingMessage, res as unknown as ServerResponse, notFound, locals)).then(
      () => {
        // a handler that returned without ending has nothing more to say
        if (!done && res.headersSent) finish();
      },
      (error: unknown) => finish(error),
    );
  });
}
