import { describe, expect, it } from 'vitest';
import { createRoundReads } from './round-reads.ts';
import { createSnapshotStore } from './snapshot-store.ts';

/** An API that counts its reads and answers each path with what it was asked. */
function countingApi() {
  const reads: string[] = [];
  return {
    reads,
    fetchApi: async (path: string) => {
      reads.push(path);
      return new Response(JSON.stringify({ path, items: [1, 2] }), { status: path.includes('missing') ? 404 : 200, headers: { 'content-type': 'application/json' } });
    },
    locals: {
      branding: { name: 'x' },
      api: async (path: string, init?: object) => {
        reads.push(`site ${path}${init ? ' (own)' : ''}`);
        return { status: 200, body: { path, items: [1, 2] }, setCookie: null };
      },
    },
  };
}

describe('createRoundReads', () => {
  it('reads each address once a round, for JSON and for the pages, and gives every caller the whole answer', async () => {
    const source = countingApi();
    const round = createRoundReads(source);
    const answers = await Promise.all([round.fetchApi('/a'), round.fetchApi('/a'), round.fetchApi('/missing')]);
    expect(await answers[0]!.json()).toEqual({ path: '/a', items: [1, 2] });
    expect(await answers[1]!.json()).toEqual({ path: '/a', items: [1, 2] });
    expect(answers[1]!.headers.get('content-type')).toBe('application/json');
    expect(answers[2]!.status).toBe(404);
    const api = (round.locals as typeof source.locals).api;
    const first = await api('/b');
    (first.body as { items: number[] }).items.push(3); // one page changing what it read does not change it for the next
    expect((await api('/b')).body).toEqual({ path: '/b', items: [1, 2] });
    await api('/b', { headers: { cookie: 'sv_session=x' } });
    expect(source.reads).toEqual(['/a', '/missing', 'site /b', 'site /b (own)']);
    expect((round.locals as { branding: unknown }).branding).toEqual({ name: 'x' });
    // the next round reads again
    await createRoundReads(source).fetchApi('/a');
    expect(source.reads.filter((path) => path === '/a')).toHaveLength(2);
  });

  it('is handed the same round by every render of one refresh, and a new one by the next', async () => {
    const rounds: (object | undefined)[] = [];
    let token = 'a';
    let clockMs = 1_000_000;
    const store = createSnapshotStore({
      now: () => clockMs,
      changeToken: async () => token,
      render: async (_source, key, round) => {
        rounds.push(round);
        return { status: 200, contentType: 'text/plain', body: Buffer.from(key) };
      },
    });
    await store.fill('api', '/one', true);
    await store.fill('api', '/two', true);
    expect(rounds).toEqual([undefined, undefined]); // a first render is no round
    await store.tick();
    token = 'b';
    clockMs += 2_000; // past the smallest gap between two rounds for a change
    await store.tick();
    const [, , a1, a2, b1, b2] = rounds;
    expect(a1).toBeDefined();
    expect(a1).toBe(a2);
    expect(b1).toBe(b2);
    expect(b1).not.toBe(a1);
    await store.stop();
  });

  it('stamps every render of a round with the time the round began, as old as the reads they share', async () => {
    let token = 'a';
    let clockMs = 1_000_000;
    const store = createSnapshotStore({
      now: () => clockMs,
      changeToken: async () => token,
      render: async (_source, key) => {
        clockMs += 500; // each render takes a while: a write may be answered meanwhile
        return { status: 200, contentType: 'text/plain', body: Buffer.from(`${key} ${token}`) };
      },
    });
    await store.fill('api', '/one', true);
    await store.fill('api', '/two', true);
    await store.tick();
    token = 'b';
    clockMs += 20_000; // past the gap a change waits for after a round that took a second
    const roundBegan = clockMs;
    await store.tick();
    expect(store.peek('/one')!.renderedAt).toBe(roundBegan);
    expect(store.peek('/two')!.renderedAt).toBe(roundBegan);
    expect(clockMs).toBeGreaterThan(roundBegan);
    await store.stop();
  });
});
