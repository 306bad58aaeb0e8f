import { createServer } from 'node:http';

export type ReceivedPost = { path: string; headers: Record<string, string | string[] | undefined>; body: string };

/** A real local HTTP server standing in for Slack, Teams and a generic webhook; answers per path are programmable. */
export async function startAlertReceiver() {
  const received: ReceivedPost[] = [];
  const answers = new Map<string, number[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      res.statusCode = answers.get(path)?.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    received,
    /** The next answers to POSTs on `path`, in order; then 200. */
    answer: (path: string, ...codes: number[]) => answers.set(path, codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type AlertReceiver = Awaited<ReturnType<typeof startAlertReceiver>>;
