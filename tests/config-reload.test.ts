import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = postgresAdminUrl ? 'config reload on a running server' : 'config reload on a running server (skipped: set TEST_DATABASE_URL to a PostgreSQL server)';

const componentYaml = (id: string, name: string) => `          - id: ${id}
            name: ${name}
            checks: [{ kind: https, url: "https://127.0.0.1:1/${id}", intervalSeconds: 3600 }]
`;
const configYaml = (components: string) => `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: Service status
    languages: [en]
    defaultLanguage: en
    groups:
      - id: g
        name: Services
        components:
${components}`;

/** Polls `probe` (a real server answers in its own time) until it returns something, for at most 20 s. */
async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!postgresAdminUrl)(title, () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let file: string;
  let env: Record<string, string>;
  let apiToken: string;
  let probeToken: string;

  const assignment = async (etag?: string) => {
    const response = await fetch(`${server.url}/api/v1/probe/assignment`, { headers: { authorization: `Bearer ${probeToken}`, ...(etag ? { 'if-none-match': etag } : {}) } });
    return { status: response.status, etag: response.headers.get('etag'), checks: response.status === 200 ? ((await response.json()) as { checks: { componentId: string }[] }).checks.map((c) => c.componentId) : [] };
  };
  // Statuspage lists the group among the components, with the ids of its members
  const pageComponents = async () => ((await (await fetch(`${server.url}/pages/status/api/v2/components.json`)).json()) as { components: { name: string; group: boolean }[] }).components.filter((c) => !c.group).map((c) => c.name).sort();
  const audit = async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@kommune.example', password: env.STATUSVAKT_USER_PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    return ((await (await fetch(`${server.url}/api/v1/audit`, { headers: { cookie } })).json()) as { entries: { action: string; actor: string }[] }).entries;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-reload-'));
    file = join(dir, 'config.yaml');
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive')));
    database = await createPostgresDatabase();
    env = { DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: 'administrator password 1' };
    server = await startServer(['serve', '--config', file], env);
    expect((await runCli(['user', 'add', '--email', 'admin@kommune.example', '--name', 'Admin', '--role', 'admin', '--all-organisations'], env)).code).toBe(0);
    apiToken = (await runCli(['api-token', 'create', '--email', 'admin@kommune.example', '--label', 'deploy', '--scopes', 'read,config:write'], env)).stdout.trim();
    probeToken = (await runCli(['probe-token', 'create', '--region', 'local'], env)).stdout.trim();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('applies a new component: it is in the probe assignment (a new ETag) and on the page, and the CLI says what changed', async () => {
    const before = await assignment();
    expect(before.checks).toEqual(['archive']);
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive') + componentYaml('mail', 'Mail')));
    const reloaded = await runCli(['config', 'reload', '--api', server.url], { STATUSVAKT_API_TOKEN: apiToken });
    expect(reloaded.stderr).toBe('');
    expect(reloaded.code).toBe(0);
    expect(reloaded.stdout).toBe(`reloaded ${file}: components: +mail; checks: +mail/https\n`);
    const after = await assignment(before.etag!);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(after.checks).toEqual(['archive', 'mail']);
    expect(await eventually(async () => ((await pageComponents()).includes('Mail') ? pageComponents() : undefined))).toEqual(['Archive', 'Mail']);
    expect(await audit()).toContainEqual(expect.objectContaining({ action: 'config.reload', actor: expect.stringContaining('admin@kommune.example (token') }));
  }, 60_000);

  it('refuses a file with a mistake, naming file, line and fix, and changes nothing', async () => {
    const before = await assignment();
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive') + componentYaml('fax', 'Fax').replace('intervalSeconds: 3600', 'intervalSeconds: often')));
    const refused = await runCli(['config', 'reload', '--api', server.url], { STATUSVAKT_API_TOKEN: apiToken });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:17 +pages\\.0\\.groups\\.0\\.components\\.1\\.checks\\.0\\.intervalSeconds +.*number`));
    expect(refused.stderr).toContain('the configuration was not reloaded: fix the mistakes above and reload again; the running configuration stays');
    expect((await assignment(before.etag!)).status).toBe(304);
    expect(await pageComponents()).toEqual(['Archive', 'Mail']);
    // the same without the right: a token lacking config:write is refused by the route
    const readOnly = (await runCli(['api-token', 'create', '--email', 'admin@kommune.example', '--label', 'ro', '--scopes', 'read'], env)).stdout.trim();
    const forbidden = await runCli(['config', 'reload', '--api', server.url], { STATUSVAKT_API_TOKEN: readOnly });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('this token lacks the scope "config:write"');
  }, 60_000);

  it('reloads on SIGHUP, and refuses a mistaken file on SIGHUP too', async () => {
    const before = await assignment();
    writeFileSync(file, configYaml(componentYaml('mail', 'Mail') + componentYaml('fax', 'Fax')));
    server.child.kill('SIGHUP');
    const after = await eventually(async () => {
      const now = await assignment(before.etag!);
      return now.status === 200 ? now : undefined;
    });
    expect(after.checks).toEqual(['fax', 'mail']);
    expect(await eventually(async () => (server.output().includes('configuration reloaded: components: +fax, -archive; checks: +fax/https, -archive/https') ? true : undefined))).toBe(true);
    expect(await eventually(async () => ((await pageComponents()).includes('Fax') ? pageComponents() : undefined))).toEqual(['Fax', 'Mail']);

    writeFileSync(file, configYaml(componentYaml('mail', 'Mail')).replace('organisation: kommune', 'organisation: nobody'));
    server.child.kill('SIGHUP');
    await eventually(async () => (server.output().includes('the configuration was not reloaded') ? true : undefined));
    expect((await assignment(after.etag!)).status).toBe(304);
    const entries = await audit();
    expect(entries).toContainEqual(expect.objectContaining({ action: 'config.reload', actor: 'system' }));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'config.reload-refused', actor: 'system' }));
    // the server kept running through all of it
    expect(server.child.exitCode).toBeNull();
  }, 60_000);
});

describe.skipIf(!postgresAdminUrl)(`${title}: watching the file (STATUSVAKT_CONFIG_WATCH=true)`, () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let file: string;
  const names = async () => ((await (await fetch(`${server.url}/pages/status/api/v2/components.json`)).json()) as { components: { name: string; group: boolean }[] }).components.filter((c) => !c.group).map((c) => c.name).sort();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-watch-'));
    file = join(dir, 'config.yaml');
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive')));
    database = await createPostgresDatabase();
    server = await startServer(['serve', '--config', file], { DATABASE_URL: database.url, STATUSVAKT_CONFIG_WATCH: 'true' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('applies a saved file by itself, and refuses a saved file with a mistake, keeping what runs', async () => {
    writeFileSync(file, configYaml(componentYaml('archive', 'Archive') + componentYaml('mail', 'Mail')));
    expect(await eventually(async () => ((await names()).includes('Mail') ? names() : undefined))).toEqual(['Archive', 'Mail']);
    expect(server.output()).toContain('configuration reloaded: components: +mail; checks: +mail/https');
    writeFileSync(file, `${configYaml(componentYaml('mail', 'Mail'))}unknownKey: 1\n`);
    await eventually(async () => (server.output().includes('the configuration was not reloaded') ? true : undefined));
    expect(server.output()).toMatch(/config\.yaml:\d+ +\(root\) +unknown key "unknownKey"; check the spelling/);
    expect(await names()).toEqual(['Archive', 'Mail']);
  }, 60_000);
});
