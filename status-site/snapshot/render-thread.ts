import { Worker } from 'node:worker_threads';
import type { SiteBranding } from '../branding/index.ts';
import type { Rendered } from './snapshot-store.ts';

/** What a page's `Astro.locals.api` answers. */
export type SiteApiAnswer = { status: number; body: unknown; setCookie?: string | null };
/** The plain reads a kept page makes (`Astro.locals.api(path)`), answered on the serving thread. */
export type SiteRead = (path: string) => Promise<SiteApiAnswer>;

export type RenderWorkerData = { entryUrl: string; branding: Omit<SiteBranding, 'files'> };
export type ToRenderWorker =
  | { type: 'render'; renderId: number; path: string }
  | ({ type: 'answer'; readId: number } & ({ status: number; body: unknown; error?: undefined } | { error: string }));
export type FromRenderWorker =
  | { type: 'ready' }
  | { type: 'read'; renderId: number; readId: number; path: string }
  | { type: 'rendered'; renderId: number; status: number; contentType: string; body: Uint8Array }
  | { type: 'failed'; renderId: number; message: string };

type Pending = { read: SiteRead; resolve: (page: Rendered) => void; reject: (error: Error) => void };

/**
 * Renders the site's pages on a worker thread. A 1,000-component page takes
 * the better part of a second to render; on the serving thread that second
 * is a second in which no visitor is answered and no probe result is stored.
 * Here the serving thread only answers the page's API reads (each a short
 * piece of work between requests) and receives the finished bytes.
 *
 * A thread that dies (out of memory, say) fails the renders in flight and
 * is started again for the next one.
 */
export function startRenderThread(args: { entryUrl: string; branding: SiteBranding; onError?: (error: unknown) => void }) {
  let worker: Worker | undefined;
  let stopped = false;
  let nextRenderId = 0;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const start = () => {
    const { files: _files, ...branding } = args.branding; // the files are served by this thread, never rendered
    const thread = new Worker(new URL('./render-worker.ts', import.meta.url), { workerData: { entryUrl: args.entryUrl, branding } satisfies RenderWorkerData });
    thread.on('message', (message: FromRenderWorker) => {
      if (message.type === 'ready') return;
      const render = pending.get(message.renderId);
      if (!render) return;
      if (message.type === 'read') {
        const answer = (reply: ToRenderWorker) => {
          if (worker === thread) thread.postMessage(reply);
        };
        render.read(message.path).then(
          ({ status, body }) => answer({ type: 'answer', readId: message.readId, status, body }),
          (error: unknown) => answer({ type: 'answer', readId: message.readId, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      pending.delete(message.renderId);
      if (message.type === 'rendered') render.resolve({ status: message.status, contentType: message.contentType, body: Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength) });
      else render.reject(new Error(message.message));
    });
    thread.on('error', (error) => {
      args.onError?.(error);
      if (worker === thread) worker = undefined;
      failAll(new Error(`the render thread failed: ${error.message}`));
    });
    thread.on('exit', (code) => {
      if (worker === thread) worker = undefined;
      if (!stopped) failAll(new Error(`the render thread exited with code ${code}`));
    });
    thread.unref(); // it never keeps the process alive by itself
    return thread;
  };

  return {
    /** Renders `path` as a visitor would get it, its API reads answered by `read`. */
    render: (path: string, read: SiteRead): Promise<Rendered> => {
      if (stopped) return Promise.reject(new Error('the render thread is stopped'));
      worker ??= start();
      const renderId = nextRenderId++;
      const thread = worker;
      return new Promise<Rendered>((resolve, reject) => {
        pending.set(renderId, { read, resolve, reject });
        thread.postMessage({ type: 'render', renderId, path } satisfies ToRenderWorker);
      });
    },
    stop: async () => {
      stopped = true;
      failAll(new Error('the render thread is stopped'));
      await worker?.terminate();
      worker = undefined;
    },
  };
}
