import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertReceiver, type AlertReceiver } from './support/alert-receiver.ts';
import { createPostgresDatabase, DRIVERS } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.ts';

describe.each(DRIVERS)('statusvakt alerts test ROUTE, on %s', (driver) => {
  let peer: SmtpPeer;
  let receiver: AlertReceiver;
  let dir: string;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let configFile: string;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    receiver = await startAlertReceiver();
    dir = mkdtempSync(join(tmpdir(), 'statusvakt-alerts-'));
    if (driver === 'postgres') database = await createPostgresDatabase();
    configFile = join(dir, 'statusvakt.yaml');
    writeFileSync(
      configFile,
      `organisations:
  - id: kommune
    name: Kommune
    alertRoutes:
      - id: on-call
        events: [component_down]
        channels:
          - { kind: email, addresses: [vagt@kommune.example, leder@kommune.example] }
          - { kind: slack, urlEnv: TEST_SLACK_URL }
          - { kind: teams, urlEnv: TEST_TEAMS_URL }
          - { kind: webhook, url: "${receiver.url}/generic", secretEnv: TEST_UNSET_SECRET }
pages:
  - id: status
    organisation: kommune
    name: Status
    groups: [{ id: g, name: G, components: [{ id: sso, name: SSO }] }]
`,
    );
  });
  afterAll(async () => {
    await peer?.close();
    await receiver?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    DATABASE_URL: database?.url ?? '',
    STATUSVAKT_DATA_DIR: join(dir, 'data'),
    SMTP_URL: peer.url,
    STATUSVAKT_SMTP_REQUIRE_TLS: 'false',
    STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL: 'true',
    STATUSVAKT_PUBLIC_URL: 'https://status.example',
    STATUSVAKT_SECRET: 'a-test-secret-a-test-secret-a-test',
    TEST_SLACK_URL: `${receiver.url}/slack`,
    TEST_TEAMS_URL: `${receiver.url}/teams`,
    TEST_UNSET_SECRET: '',
  });

  it('sends through every channel and reports each outcome; exits 2 when one failed', async () => {
    receiver.answer('/teams', 404);
    const { code, stdout, stderr } = await runCli(['alerts', 'test', 'on-call', '--config', configFile], env());
    expect(stderr).not.toMatch(/Error/);
    expect(stdout).toContain('route on-call (organisation kommune): 3 of 5 channels took the test alert');
    expect(stdout).toContain('ok     email leder@kommune.example');
    expect(stdout).toContain('ok     email vagt@kommune.example');
    expect(stdout).toContain('ok     slack $TEST_SLACK_URL');
    expect(stdout).toContain('FAILED teams $TEST_TEAMS_URL: HTTP 404');
    expect(stdout).toMatch(/FAILED webhook http:\/\/127\.0\.0\.1:\d+\/generic: .*TEST_UNSET_SECRET of route "on-call" is not set in the environment/);
    expect(code).toBe(2);
    expect(peer.received.map((m) => m.subject)).toEqual(['[Statusvakt] Test alert from route on-call', '[Statusvakt] Test alert from route on-call']);
    expect(JSON.parse(receiver.received.find((r) => r.path === '/slack')!.body).text).toMatch(/Test alert from route on-call/);
  }, 120_000); // the first run migrates a new embedded database

  it('exits 0 when every channel took it', async () => {
    peer.received.length = 0;
    const { code, stdout } = await runCli(['alerts', 'test', 'on-call', '--config', configFile], { ...env(), TEST_UNSET_SECRET: 'now-set' });
    expect(stdout).toContain('5 of 5 channels took the test alert');
    expect(code).toBe(0);
    expect(peer.received).toHaveLength(2);
  }, 60_000);

  it('names the routes there are when the route is unknown', async () => {
    const { code, stderr } = await runCli(['alerts', 'test', 'nope', '--config', configFile], env());
    expect(code).toBe(1);
    expect(stderr).toContain('no alert route "nope"');
    expect(stderr).toContain('routes: on-call');
  }, 60_000);
});
