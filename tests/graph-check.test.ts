import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphCheck } from '../config/index.ts';
import { CheckResult, GraphHealthReader, runProbe, sanitiseResult } from '../probe/index.ts';
import { createTestCa, issueCertificate, type TestCa } from './support/certificates.ts';
import { startHttpsServer, startSilentServer, type TestServer } from './support/servers.ts';

const target = { componentId: 'exchange', checkId: 'graph', regionId: 'local' };
const SECRET = 'Q~s3cr3t.value-that-must-never-leak';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'kommune.onmicrosoft.com';
const env: Record<string, string | undefined> = { GRAPH_CLIENT_ID: CLIENT_ID, GRAPH_CLIENT_SECRET: SECRET };

const issue = (over: Record<string, unknown>) => ({
  startDateTime: '2026-11-21T08:00:00Z',
  endDateTime: null,
  lastModifiedDateTime: '2026-11-21T11:20:00Z',
  title: 'Users may be unable to send email',
  id: 'EX123456',
  impactDescription: 'Users may be unable to send email messages from Outlook.',
  classification: 'incident',
  origin: 'microsoft',
  status: 'serviceDegradation',
  service: 'Exchange Online',
  feature: 'E-Mail and calendar access',
  featureGroup: 'E-Mail and calendar access',
  isResolved: false,
  highImpact: null,
  details: [],
  posts: [
    { createdDateTime: '2026-11-21T08:10:00Z', postType: 'regular', description: { contentType: 'html', content: '<p>We are investigating.</p>' } },
    { createdDateTime: '2026-11-21T11:20:00Z', postType: 'regular', description: { contentType: 'html', content: '<p><b>Current status:</b> We&#39;re deploying a fix &amp; monitoring.</p>' } },
  ],
  ...over,
});

/** healthOverviews as Graph pages it: Exchange on the first page, the rest behind @odata.nextLink. */
function pages(exchangeStatus: string, issues: unknown[]) {
  return [
    {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/serviceAnnouncement/healthOverviews(issues())',
      value: [{ service: 'Exchange Online', status: exchangeStatus, id: 'Exchange', issues }],
      '@odata.nextLink': 'PAGE2',
    },
    {
      value: [
        { service: 'Microsoft Teams', status: 'serviceOperational', id: 'microsoftteams', issues: [] },
        { service: 'SharePoint Online', status: 'serviceInterruption', id: 'SharePoint', issues: [issue({ id: 'SP777', service: 'SharePoint Online', status: 'serviceInterruption' })] },
      ],
    },
  ];
}

type Mode = 'ok' | 'throttle' | 'stall-body' | 'forbidden';

describe('Microsoft 365 service health from a local Graph and token endpoint', () => {
  let ca: TestCa;
  let server: TestServer;
  let mode: Mode = 'ok';
  let overview = pages('serviceDegradation', []);
  let expiresInSeconds = 3599;
  let issued = 0;
  const validTokens = new Set<string>();
  const tokenForms: URLSearchParams[] = [];
  let clock = new Date('2026-11-21T12:00:00.000Z');

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'https://local');
    if (req.method === 'POST' && url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const form = new URLSearchParams(text);
      tokenForms.push(form);
      if (form.get('client_secret') !== SECRET) {
        return answer(res, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'. Trace ID: 0b7c Correlation ID: 9f1e Timestamp: 2026-11-21 12:00:00Z`,
          error_codes: [7000215],
          timestamp: '2026-11-21 12:00:00Z',
        });
      }
      const token = `token-${++issued}`;
      validTokens.add(token);
      return answer(res, 200, { token_type: 'Bearer', expires_in: expiresInSeconds, ext_expires_in: expiresInSeconds, access_token: token });
    }
    if (req.method === 'GET' && url.pathname === '/v1.0/admin/serviceAnnouncement/healthOverviews') {
      if (!validTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return answer(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } });
      if (mode === 'forbidden') return answer(res, 403, { error: { code: 'Forbidden', message: 'Insufficient privileges' } });
      if (mode === 'throttle') return answer(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '120' });
      if (mode === 'stall-body') return void res.writeHead(200, { 'content-type': 'application/json' }).write('{"value": [');
      const page = url.searchParams.get('$skiptoken') === '2' ? overview[1] : { ...overview[0], '@odata.nextLink': `${server.url}v1.0/admin/serviceAnnouncement/healthOverviews?$expand=issues&$skiptoken=2` };
      return answer(res, 200, page);
    }
    answer(res, 404, { error: { code: 'NotFound' } });
  }

  beforeAll(async () => {
    ca = await createTestCa();
    server = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (req, res) => void handle(req, res));
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    mode = 'ok';
    overview = pages('serviceDegradation', []);
    expiresInSeconds = 3599;
    validTokens.clear();
    tokenForms.length = 0;
    clock = new Date('2026-11-21T12:00:00.000Z');
  });

  const spec = (over: Record<string, unknown> = {}) => ({ kind: 'graph', tenantId: TENANT, clientIdEnv: 'GRAPH_CLIENT_ID', clientSecretEnv: 'GRAPH_CLIENT_SECRET', service: 'Exchange Online', authorityUrl: server.url, graphUrl: server.url, ...over });
  const newReader = (secrets = env) => new GraphHealthReader({ readSecret: (name) => secrets[name], trustedCa: [ca.certPem], now: () => clock });
  const read = (reader: GraphHealthReader, over: Record<string, unknown> = {}) => reader.read(GraphCheck.parse(spec(over)), target);

  it("maps the service's status and its unresolved issues to notices, over every page", async () => {
    overview = pages('serviceDegradation', [
      issue({}),
      issue({ id: 'EX200000', classification: 'advisory', title: 'Delays in <i>message trace</i>', status: 'investigating', feature: 'Management and Provisioning', featureGroup: 'Management and Provisioning', posts: [] }),
      issue({ id: 'EX100000', title: 'Old resolved issue', isResolved: true, status: 'serviceRestored' }),
    ]);
    const result = await read(newReader());
    expect(result).toMatchObject({ outcome: 'degraded', reason: 'upstream_degraded', httpStatus: 200, message: 'Exchange Online: serviceDegradation (Users may be unable to send email)' });
    expect(result.notices).toEqual([
      {
        externalId: 'EX123456',
        kind: 'incident',
        impact: 'degraded',
        title: 'Users may be unable to send email',
        body: "Users may be unable to send email messages from Outlook.\nCurrent status: We're deploying a fix & monitoring.",
        startsAt: '2026-11-21T08:00:00.000Z',
        updatedAt: '2026-11-21T11:20:00.000Z',
      },
      { externalId: 'EX200000', kind: 'advisory', impact: 'degraded', title: 'Delays in message trace', body: 'Users may be unable to send email messages from Outlook.', startsAt: '2026-11-21T08:00:00.000Z', updatedAt: '2026-11-21T11:20:00.000Z' },
    ]);
    expect(CheckResult.safeParse(sanitiseResult(result)).error).toBeUndefined();
    // the service on the second page is found too, by its id
    expect(await read(newReader(), { service: 'sharepoint' })).toMatchObject({ outcome: 'down', reason: 'upstream_outage', notices: [{ externalId: 'SP777', impact: 'down' }] });
    expect(tokenForms[0]!.get('grant_type')).toBe('client_credentials');
    expect(tokenForms[0]!.get('client_id')).toBe(CLIENT_ID);
    expect(tokenForms[0]!.get('scope')).toBe(`${new URL(server.url).origin}/.default`);
  });

  it.each([
    { status: 'serviceOperational', outcome: 'up' },
    { status: 'serviceRestored', outcome: 'up' },
    { status: 'falsePositive', outcome: 'up' },
    { status: 'investigating', outcome: 'degraded' },
    { status: 'restoringService', outcome: 'degraded' },
    { status: 'extendedRecovery', outcome: 'degraded' },
    { status: 'verifyingService', outcome: 'degraded' },
    { status: 'serviceInterruption', outcome: 'down' },
    { status: 'somethingNew', outcome: 'unknown' },
  ])('service status $status → $outcome', async ({ status, outcome }) => {
    overview = pages(status, []);
    const result = await read(newReader());
    expect(result.outcome).toBe(outcome);
    expect(result.notices).toEqual([]);
  });

  it('with features, only the issues of those features decide', async () => {
    overview = pages('serviceInterruption', [issue({ id: 'EX300000', status: 'serviceInterruption', feature: 'Exchange Online Protection', featureGroup: 'Management and Provisioning' }), issue({ id: 'EX123456' })]);
    const mail = await read(newReader(), { features: ['e-mail and calendar access'] });
    expect(mail).toMatchObject({ outcome: 'degraded', reason: 'upstream_degraded', message: 'Exchange Online: EX123456 Users may be unable to send email' });
    expect(mail.notices?.map((n) => n.externalId)).toEqual(['EX123456']);
    expect(await read(newReader(), { features: ['Management and Provisioning'] })).toMatchObject({ outcome: 'down', reason: 'upstream_outage' });
    expect(await read(newReader(), { features: ['Mobile access'] })).toMatchObject({ outcome: 'up', notices: [] });
  });

  it('keeps the token until shortly before it expires', async () => {
    const reader = newReader();
    await read(reader);
    await read(reader);
    expect(reader.requests).toEqual({ token: 1, graph: 4 }); // two pages a read
    clock = new Date(clock.getTime() + 3000 * 1000); // 50 minutes
    await read(reader);
    expect(reader.requests.token).toBe(1);
    clock = new Date(clock.getTime() + 300 * 1000); // 55 minutes: the token still runs, but within the renewal margin of 5 minutes
    expect((await read(reader)).outcome).toBe('degraded');
    expect(reader.requests.token).toBe(2);
  });

  it('renews a token Graph refuses (401) once, and reports access_denied when the new one is refused too', async () => {
    const reader = newReader();
    await read(reader);
    validTokens.clear(); // revoked on Microsoft's side
    const renewed = await read(reader);
    expect(renewed.outcome).toBe('degraded');
    expect(reader.requests.token).toBe(2);

    // a Graph that takes no token at all: one renewal, then a result, no loop
    const refusing = newReader();
    const original = validTokens.add.bind(validTokens);
    validTokens.add = () => validTokens;
    try {
      const denied = await read(refusing);
      expect(denied).toMatchObject({ outcome: 'unknown', reason: 'access_denied', httpStatus: 401, message: 'Graph refused the access token (HTTP 401)' });
      expect(refusing.requests).toEqual({ token: 1, graph: 1 });
    } finally {
      validTokens.add = original;
    }
  });

  it('honours 429 Retry-After: reads wait that long and are unknown (throttled) meanwhile', async () => {
    const reader = newReader();
    mode = 'throttle';
    const throttled = await read(reader);
    expect(throttled).toMatchObject({ outcome: 'unknown', reason: 'throttled', httpStatus: 429, message: 'Microsoft Graph throttled this app (HTTP 429); next read in 120 s' });
    mode = 'ok';
    clock = new Date(clock.getTime() + 60_000);
    const waiting = await read(reader);
    expect(waiting).toMatchObject({ outcome: 'unknown', reason: 'throttled', message: 'Microsoft Graph throttled this app; next read after 2026-11-21T12:02:00.000Z' });
    expect(reader.requests.graph).toBe(1); // not asked again
    clock = new Date(clock.getTime() + 61_000);
    expect((await read(reader)).outcome).toBe('degraded');
  });

  it('names the environment variable to set when a credential is missing, without asking Microsoft', async () => {
    const noSecret = newReader({ GRAPH_CLIENT_ID: CLIENT_ID });
    expect(await read(noSecret)).toMatchObject({
      outcome: 'unknown',
      reason: 'access_denied',
      message: "the environment variable GRAPH_CLIENT_SECRET is not set; set it to the app registration's client secret (named by clientSecretEnv of this check) and restart the probe",
    });
    const noId = newReader({ GRAPH_CLIENT_SECRET: SECRET, GRAPH_CLIENT_ID: '' });
    expect((await read(noId)).message).toMatch(/^the environment variable GRAPH_CLIENT_ID is not set/);
    expect(noSecret.requests).toEqual({ token: 0, graph: 0 });
    expect(tokenForms).toHaveLength(0);
  });

  it("reports a wrong secret with Microsoft's AADSTS code, never the secret", async () => {
    const wrong = 'Q~wrong-secret-value-0123456789';
    const result = await read(newReader({ GRAPH_CLIENT_ID: CLIENT_ID, GRAPH_CLIENT_SECRET: wrong }));
    expect(result).toMatchObject({ outcome: 'unknown', reason: 'access_denied', httpStatus: 401 });
    expect(result.message).toBe(
      `Microsoft refused the app's credentials (AADSTS7000215: invalid_client: Invalid client secret provided.); check tenantId "${TENANT}" and the client id and secret in the environment variables GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET`,
    );
    expect(JSON.stringify(result)).not.toContain(wrong);
    const fine = await read(newReader());
    expect(JSON.stringify(fine)).not.toContain(SECRET);
  });

  it('tells Graph refusing the permission from a wrong secret, and an unknown service from an outage', async () => {
    mode = 'forbidden';
    expect((await read(newReader())).message).toMatch(/HTTP 403\); grant the app registration the application permission ServiceHealth.Read.All/);
    mode = 'ok';
    const missing = await read(newReader(), { service: 'Dynamics 365' });
    expect(missing).toMatchObject({ outcome: 'unknown', reason: 'upstream_unreadable', message: 'no service "Dynamics 365" in Microsoft 365 service health; the tenant has: Exchange Online, Microsoft Teams, SharePoint Online' });
  });

  it('ends a token endpoint that never answers, and a Graph that stalls in its body, as timeout with the phase', async () => {
    const silent = await startSilentServer();
    try {
      const t0 = performance.now();
      const result = await read(newReader(), { authorityUrl: `https://127.0.0.1:${silent.port}/`, timeoutMs: 1000 });
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: 'Microsoft not reachable while getting a token: no answer within 1000 ms during the TLS handshake' });
      expect(result.phasesMs?.tls).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
    mode = 'stall-body';
    const stalled = await read(newReader(), { timeoutMs: 1000 });
    expect(stalled).toMatchObject({ outcome: 'unknown', reason: 'timeout', message: 'Microsoft not reachable while reading service health: no answer within 1000 ms while reading the body' });
  });

  it('runs in the probe with the secret reader it is given, and sends a result the API takes', async () => {
    const received: CheckResult[] = [];
    const probe = runProbe({
      regionId: 'local',
      checks: [{ componentId: 'exchange', checkId: 'graph', kind: 'graph', intervalSeconds: 1, spec: spec() }],
      trustedCa: [ca.certPem],
      readSecret: (name) => env[name],
      sink: async (result) => void received.push(result),
    });
    for (let waited = 0; received.length === 0 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await probe.stop();
    expect(received[0]).toMatchObject({ outcome: 'degraded', notices: [] });
    expect(CheckResult.safeParse(received[0]).error).toBeUndefined();
  });
});
