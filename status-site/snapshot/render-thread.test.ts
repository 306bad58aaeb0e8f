import { afterEach, describe, expect, it } from 'vitest';
import { emptySiteBranding } from '../branding/index.ts';
import { startRenderThread } from './render-thread.ts';

const entryUrl = new URL('./fixtures/render-entry.mjs', import.meta.url).href;
const branding = { ...emptySiteBranding(), pages: new Map([['status', { organisation: 'Kommune', favicon: { href: '/favicon.svg', type: 'image/svg+xml' }, links: [] }]]) };

describe('startRenderThread', () => {
  let thread: ReturnType<typeof startRenderThread> | undefined;
  afterEach(async () => {
    await thread?.stop();
    thread = undefined;
  });

  it('renders a page on its own thread, its API reads answered on this one, with the branding it was given', async () => {
    const reads: string[] = [];
    thread = startRenderThread({ entryUrl, branding });
    const page = await thread.render('/en/', async (path) => {
      reads.push(path);
      return { status: 200, body: { components: 1000 } };
    });
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/html');
    expect(JSON.parse(page.body.toString('utf8').slice(3, -4))).toEqual({ path: '/en/', read: { components: 1000 }, organisation: 'Kommune' });
    expect(reads).toEqual(['/api/for/en/']);
    // a read that fails fails that page (the last good snapshot stays), not the thread
    await expect(thread.render('/da/', () => Promise.reject(new Error('the database is away')))).rejects.toThrow('the database is away');
    expect((await thread.render('/sv/', async () => ({ status: 404, body: null }))).status).toBe(404);
    expect((await thread.render('/missing/', async () => ({ status: 200, body: null }))).status).toBe(404);
  });

  it('leaves this thread free while a page holds its own thread', async () => {
    thread = startRenderThread({ entryUrl, branding });
    const flag = new SharedArrayBuffer(4);
    // the page blocks its thread until this thread, 50 ms after answering its read, lets it go: were both on one thread, it would wait its 5 s out
    const page = await thread.render('/block/', async () => {
      setTimeout(() => {
        Atomics.store(new Int32Array(flag), 0, 1);
        Atomics.notify(new Int32Array(flag), 0);
      }, 50);
      return { status: 200, body: flag };
    });
    expect(page.body.toString('utf8')).toBe('<p>{"waited":"ok"}</p>');
  });

  it('fails the renders of a thread that ends, and starts a new thread for the next page', async () => {
    const errors: unknown[] = [];
    thread = startRenderThread({ entryUrl, branding, onError: (error) => errors.push(error) });
    await expect(thread.render('/exit/', async () => ({ status: 200, body: null }))).rejects.toThrow(/render thread exited with code 7/);
    const page = await thread.render('/en/', async () => ({ status: 200, body: 'again' }));
    expect(page.status).toBe(200);
    expect(page.body.toString('utf8')).toContain('"read":"again"');
  });

  it('refuses to render once stopped', async () => {
    thread = startRenderThread({ entryUrl, branding });
    await thread.stop();
    await expect(thread.render('/en/', async () => ({ status: 200, body: null }))).rejects.toThrow(/stopped/);
  });
});
