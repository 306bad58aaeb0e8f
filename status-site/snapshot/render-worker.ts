import { parentPort, workerData } from 'node:worker_threads';
import { renderInMemory, type NodeHandler } from './render-in-memory.ts';
import type { FromRenderWorker, RenderWorkerData, SiteApiAnswer, ToRenderWorker } from './render-thread.ts';

/**
 * The site's pages rendered on their own thread: the serving thread hands a
 * path over and gets the bytes back, and answers the page's API reads in
 * between (the API and the embedded database stay on the serving thread).
 */
const port = parentPort!;
const { entryUrl, branding } = workerData as RenderWorkerData;
const { handler } = (await import(entryUrl)) as { handler: NodeHandler };

let nextReadId = 0;
const reads = new Map<number, { resolve: (answer: SiteApiAnswer) => void; reject: (error: Error) => void }>();

const send = (message: FromRenderWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const apiFor = (renderId: number) => (path: string, init?: unknown) => {
  // a render only reads: a write, or a read with a visitor's cookie, never comes through here
  if (init !== undefined) return Promise.reject(new Error(`a kept page asked the API for more than a plain read of ${path}`));
  const readId = nextReadId++;
  return new Promise<SiteApiAnswer>((resolve, reject) => {
    reads.set(readId, { resolve, reject });
    send({ type: 'read', renderId, readId, path });
  });
};

port.on('message', (message: ToRenderWorker) => {
  if (message.type === 'answer') {
    const read = reads.get(message.readId);
    reads.delete(message.readId);
    if (message.error === undefined) read?.resolve({ status: message.status, body: message.body, setCookie: null });
    else read?.reject(new Error(message.error));
    return;
  }
  const { renderId, path } = message;
  renderInMemory(handler, path, { branding, api: apiFor(renderId) }).then(
    (page) => {
      // the bytes move to the serving thread, not a copy of them
      const body = new Uint8Array(page.body);
      send({ type: 'rendered', renderId, status: page.status, contentType: page.contentType, body }, [body.buffer]);
    },
    (error: unknown) => send({ type: 'failed', renderId, message: error instanceof Error ? error.message : String(error) }),
  );
});
send({ type: 'ready' });
