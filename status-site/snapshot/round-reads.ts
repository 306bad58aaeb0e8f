/** What the site's pages call to read the API (`Astro.locals.api`). */
type SiteApi = (path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => Promise<{ status: number; body: unknown; setCookie?: string | null }>;

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
 * plain GETs are shared; a page gets its own copy of what it reads.
 */
export function createRoundReads(args: { fetchApi: (path: string) => Promise<Response>; locals: object }) {
  const responses = new Map<string, Promise<KeptResponse>>();
  const siteReads = new Map<string, ReturnType<SiteApi>>();
  const siteApi = (args.locals as { api?: SiteApi }).api;

  const fetchApi = async (path: string): Promise<Response> => {
    let kept = responses.get(path);
    if (!kept) {
      kept = (async () => {
        await yieldToRequests();
        const response = await args.fetchApi(path);
        return { status: response.status, headers: [...response.headers], body: Buffer.from(await response.arrayBuffer()) };
      })();
      responses.set(path, kept);
    }
    const { status, headers, body } = await kept;
    return new Response(status === 204 || status === 304 ? null : new Uint8Array(body), { status, headers });
  };

  const api: SiteApi | undefined = siteApi
    ? async (path, init) => {
        // a write, or a read that carries a visitor's cookie, is never shared
        if (init !== undefined) return siteApi(path, init);
        let kept = siteReads.get(path);
        if (!kept) {
          kept = yieldToRequests().then(() => siteApi(path));
          siteReads.set(path, kept);
        }
        return structuredClone(await kept);
      }
    : undefined;

  return { fetchApi, locals: api ? { ...args.locals, api } : args.locals };
}
