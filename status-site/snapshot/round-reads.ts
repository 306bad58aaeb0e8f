/** What the site's pages call to read the API (`Astro.locals.api`); `env` goes to the API as Hono's env. */
type SiteApi = (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }, env?: object) => Promise<{ status: number; body: unknown; setCookie?: string | null }>;

type KeptResponse = { status: number; headers: [string, string][]; body: Buffer };

/** Lets requests that arrived meanwhile be answered before the next read takes the thread (an embedded database reads on it). */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The API as one refresh round sees it: each address read once, however many
 * pages of the round need it (every page needs the page list and status; the
 * front page, component pages and embeds need the same status in each
 * language), and each read started only after waiting requests were answered.
 * A round renders every kept address, so this halves what a round costs and
 * cuts the time the thread is kept from visitors into short pieces. Only
 * plain GETs are shared; a page gets its own copy of what it reads. The API
 * is asked with the round's `sharedReads`, so different addresses of the
 * round that need the same page status read it once (see api/http/shared-reads.ts).
 */
export function createRoundReads(args: { fetchApi: (path: string, env?: object) => Promise<Response>; locals: object }) {
  const env = { sharedReads: new Map<string, Promise<unknown>>() };
  const responses = new Map<string, Promise<KeptResponse>>();
  const siteReads = new Map<string, Promise<{ status: number; json: string; setCookie?: string | null }>>();
  const siteApi = (args.locals as { api?: SiteApi }).api;

  /** The round's answer for `path` as kept: the same bytes for every caller (a snapshot copies nothing of a 10 MB answer). */
  const fetchKept = (path: string): Promise<KeptResponse> => {
    let kept = responses.get(path);
    if (!kept) {
      kept = (async () => {
        await yieldToRequests();
        const response = await args.fetchApi(path, env);
        return { status: response.status, headers: [...response.headers], body: Buffer.from(await response.arrayBuffer()) };
      })();
      responses.set(path, kept);
    }
    return kept;
  };
  const fetchApi = async (path: string): Promise<Response> => {
    const { status, headers, body } = await fetchKept(path);
    return new Response(status === 204 || status === 304 ? null : new Uint8Array(body), { status, headers });
  };

  const api: SiteApi | undefined = siteApi
    ? async (path, init) => {
        // a write, or a read that carries a visitor's cookie, is never shared
        if (init !== undefined) return siteApi(path, init);
        let kept = siteReads.get(path);
        if (!kept) {
          // kept as JSON text: parsing it again for each page is about twice as fast as structuredClone
          kept = yieldToRequests().then(async () => {
            const { body, ...rest } = await siteApi(path, undefined, env);
            return { ...rest, json: JSON.stringify(body) };
          });
          siteReads.set(path, kept);
        }
        const { json, ...rest } = await kept;
        return { ...rest, body: JSON.parse(json) as unknown };
      }
    : undefined;

  return { fetchApi, fetchKept, locals: api ? { ...args.locals, api } : args.locals };
}
