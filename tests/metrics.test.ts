import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, evaluatePending, ingestResults, type App } from '../api/index.ts';
import { Component, SlaProfile } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { result, testConfig } from './support/fixtures.ts';
import { freePort, ROOT, startServer, type RunningServer } from './support/run-cli.ts';
import { startHttpsServer, type TestServer } from './support/servers.ts';

const promtool = spawnSync('promtool', ['--version']).status === 0;
const prometheus = spawnSync('prometheus', ['--version']).status === 0;
const RULES = join(ROOT, 'alerts/prometheus');

/** The value of one series in Prometheus text format, or undefined. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  let test: TestDatabase;
  let app: App;
  const now = new Date('2026-11-21T12:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase('pglite');
    const config = testConfig();
    config.slaProfiles = [SlaProfile.parse({ id: 'p999', name: '99.9', availabilityTargetPercent: 99.9 })];
    config.pages[0]!.groups[0]!.components.push(
      Component.parse({ id: 'ldap', name: 'LDAP', checks: [{ kind: 'tls', host: 'ldap.example.dk', port: 636 }] }),
      Component.parse({ id: 'mail-dns', name: 'Mail DNS', checks: [{ kind: 'dns', name: 'example.dk', recordType: 'MX' }] }),
    );
    for (const group of config.pages[0]!.groups) for (const component of group.components) component.slaProfile = 'p999';
    await syncConfig(test.handle.db, config, new Date('2026-11-01T00:00:00Z'));
    const send = (regionId: string, componentId: string, fields: object) => ingestResults(test.handle.db, { regionId, results: [result({ componentId, regionId, startedAt: '2026-11-21T11:59:30Z', ...fields })], now });
    await send('north', 'sso', { phasesMs: { dns: 2, connect: 3, tls: 10, firstByte: 40, transfer: 1 }, durationMs: 56, certificate: { subject: 'CN=sso', issuer: 'CN=CA', subjectAltNames: [], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', sha256Fingerprint: 'AA', chainVerified: true } });
    await send('north', 'mfa', { outcome: 'down', reason: 'timeout', httpStatus: undefined });
    await send('north', 'ldap', { checkId: 'tls', httpStatus: undefined, durationMs: 25, phasesMs: { dns: 4, connect: 6, tls: 15 }, certificate: { subject: 'CN=ldap', issuer: 'CN=CA', subjectAltNames: [], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-12-01T00:00:00.000Z', sha256Fingerprint: 'BB', chainVerified: true } });
    await send('north', 'mail-dns', { checkId: 'dns', httpStatus: undefined, durationMs: 7, phasesMs: { dns: 7 } });
    await evaluatePending(test.handle.db, now);
    await test.handle.db.insert(tables.serviceWindows).values({ componentIds: ['portal'], title: 'Upgrade', plannedStart: new Date('2026-11-21T11:00:00Z'), plannedEnd: new Date('2026-11-21T13:00:00Z'), announcedAt: new Date('2026-10-01T00:00:00Z'), createdBy: 'ops' });
    app = buildApp({ database: test.handle, now: () => now, logger: pino({ level: 'silent' }), metricsAuth: {} });
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('exposes blackbox-style probe metrics per component, check and region, and the SLA figures', async () => {
    const response = await app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const sso = { component: 'sso', check: 'https', region: 'north' };
    expect(valueOf(text, 'probe_success', sso)).toBe(1);
    expect(valueOf(text, 'probe_success', { component: 'mfa', region: 'north' })).toBe(0);
    expect(valueOf(text, 'probe_duration_seconds', sso)).toBe(0.056);
    expect(valueOf(text, 'probe_http_status_code', sso)).toBe(200);
    expect(valueOf(text, 'probe_http_status_code', { component: 'mfa' })).toBe(0);
    expect(valueOf(text, 'probe_http_duration_seconds', { ...sso, phase: 'resolve' })).toBe(0.002);
    expect(valueOf(text, 'probe_http_duration_seconds', { ...sso, phase: 'processing' })).toBe(0.04);
    expect(valueOf(text, 'probe_ssl_earliest_cert_expiry', sso)).toBe(Date.parse('2027-01-01T00:00:00Z') / 1000);
    expect(valueOf(text, 'probe_dns_lookup_time_seconds', sso)).toBe(0.002);
    // the tls and dns kinds as blackbox_exporter's tcp and dns modules: no HTTP series
    const ldap = { component: 'ldap', check: 'tls', region: 'north' };
    expect(valueOf(text, 'probe_success', ldap)).toBe(1);
    expect(valueOf(text, 'probe_duration_seconds', ldap)).toBe(0.025);
    expect(valueOf(text, 'probe_dns_lookup_time_seconds', ldap)).toBe(0.004);
    expect(valueOf(text, 'probe_ssl_earliest_cert_expiry', ldap)).toBe(Date.parse('2026-12-01T00:00:00Z') / 1000);
    expect(valueOf(text, 'probe_http_status_code', ldap)).toBeUndefined();
    expect(valueOf(text, 'probe_http_duration_seconds', ldap)).toBeUndefined();
    const mailDns = { component: 'mail-dns', check: 'dns', region: 'north' };
    expect(valueOf(text, 'probe_success', mailDns)).toBe(1);
    expect(valueOf(text, 'probe_dns_lookup_time_seconds', mailDns)).toBe(0.007);
    expect(valueOf(text, 'probe_ssl_earliest_cert_expiry', mailDns)).toBeUndefined();
    expect(valueOf(text, 'statusvakt_component_status', { component: 'mfa', state: 'down' })).toBe(1);
    expect(valueOf(text, 'statusvakt_component_status', { component: 'mfa', state: 'up' })).toBe(0);
    expect(valueOf(text, 'statusvakt_component_in_service_window', { component: 'portal' })).toBe(1);
    expect(valueOf(text, 'statusvakt_component_in_service_window', { component: 'sso' })).toBe(0);
    expect(valueOf(text, 'statusvakt_sla_target_ratio', { component: 'sso', profile: 'p999' })).toBe(0.999);
    expect(valueOf(text, 'statusvakt_sla_availability_ratio', { component: 'mfa' })).toBe(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    // labels come from configured ids only: no URLs, no messages
    expect(text).not.toMatch(/https:\/\/|timeout/);
  });

  it.skipIf(!promtool)('passes `promtool check metrics`', async () => {
    const text = await (await app.request('/metrics')).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // exit 1 is a parse error; exit 3 lists lint findings, which may only concern prom-client's
    // own process gauges (nodejs_*_total), never a metric of ours
    expect(check.status, check.stdout + check.stderr).not.toBe(1);
    const findings = `${check.stdout}${check.stderr}`.split('\n').filter((line) => line.trim() !== '');
    expect(findings.filter((line) => !line.startsWith('nodejs_'))).toEqual([]);
  });

  it('asks for the configured bearer token or basic credentials', async () => {
    const guarded = buildApp({ database: test.handle, now: () => now, logger: pino({ level: 'silent' }), metricsAuth: { bearer: 'a-long-metrics-token', basic: 'prometheus:s3cret-pass' } });
    expect((await guarded.request('/metrics')).status).toBe(401);
    expect((await guarded.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await guarded.request('/metrics', { headers: { authorization: 'Bearer a-long-metrics-token' } })).status).toBe(200);
    const basic = `Basic ${Buffer.from('prometheus:s3cret-pass').toString('base64')}`;
    expect((await guarded.request('/metrics', { headers: { authorization: basic } })).status).toBe(200);
  });
});

describe.skipIf(!promtool)(`the example Prometheus rules${promtool ? '' : ' (skipped: promtool not found; install the Debian package prometheus)'}`, () => {
  it('pass `promtool check rules`', () => {
    expect(execFileSync('promtool', ['check', 'rules', join(RULES, 'statusvakt.rules.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS: 12 rules found/);
  });

  it('pass their unit tests (`promtool test rules`)', () => {
    expect(execFileSync('promtool', ['test', 'rules', join(RULES, 'statusvakt.rules.test.yml')], { encoding: 'utf8', cwd: RULES })).toMatch(/SUCCESS/);
  });
});

describe.skipIf(!prometheus)(`a real Prometheus scraping Statusvakt${prometheus ? '' : ' (skipped: prometheus not found; install the Debian package prometheus)'}`, () => {
  let target: TestServer;
  let server: RunningServer;
  let prom: ReturnType<typeof spawn>;
  let promUrl: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-prom-'));
    const ca = await createTestCa();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    target = await startHttpsServer(await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] }), (_q, res) => res.end('ok'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
          - { id: healthy, name: Healthy, checks: [{ kind: https, url: "${target.url}", intervalSeconds: 1 }] }
          - { id: broken, name: Broken, checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 1 }] }
`,
    );
    server = await startServer(['start', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data'), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem'), METRICS_BEARER_TOKEN: 'scrape-token-for-the-test' });
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: statusvakt
    authorization: { credentials: scrape-token-for-the-test }
    static_configs: [{ targets: ["${new URL(server.url).host}"] }]
`,
    );
    prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  }, 60_000);

  afterAll(async () => {
    prom?.kill('SIGTERM');
    await server?.stop();
    await target?.close();
  });

  const query = async (promql: string) => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  };

  it('scrapes /metrics and answers PromQL with the state of a component made to fail', async () => {
    let broken: Awaited<ReturnType<typeof query>> = [];
    let healthy: Awaited<ReturnType<typeof query>> = [];
    for (let i = 0; i < 150 && (broken.length === 0 || healthy.length === 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      try {
        broken = await query('probe_success{component="broken"}');
        healthy = await query('probe_success{component="healthy"}');
      } catch {
        // Prometheus still starting
      }
    }
    expect(broken.map((r) => [r.metric.job, r.metric.region, r.value[1]])).toEqual([['statusvakt', 'local', '0']]);
    expect(healthy.map((r) => r.value[1])).toEqual(['1']);
    let down: Awaited<ReturnType<typeof query>> = [];
    for (let i = 0; i < 50 && down.length === 0; i++) {
      down = await query('statusvakt_component_status{component="broken",state="down"} == 1');
      if (down.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(down).toHaveLength(1);
  }, 60_000);
});
