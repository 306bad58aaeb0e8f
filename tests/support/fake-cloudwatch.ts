import { createServer, type IncomingHttpHeaders } from 'node:http';

export type MetricDataQuery = { Id: string; MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string } };
export type Received = { headers: IncomingHttpHeaders; body: { MetricDataQueries: MetricDataQuery[]; StartTime: number; EndTime: number; ScanBy?: string; NextToken?: string } };

/**
 * A local endpoint that speaks CloudWatch's wire protocol (AWS JSON 1.0,
 * `x-amz-target: GraniteServiceVersion20100801.GetMetricData`) for the real
 * SDK: it records what the SDK sends and answers as `respond` says.
 */
export async function startFakeCloudWatch(respond: (request: Received) => { status?: number; queryError?: string; body: unknown }) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const request = { headers: req.headers, body: JSON.parse(text || '{}') as Received['body'] };
      received.push(request);
      if (req.headers['x-amz-target'] !== 'GraniteServiceVersion20100801.GetMetricData') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const answer = respond(request);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/x-amz-json-1.0', ...(answer.queryError ? { 'x-amzn-query-error': answer.queryError } : {}) });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
