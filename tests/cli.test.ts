import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/index.ts';
import { runCli, startServer } from './support/run-cli.ts';

const example = readFileSync(new URL('../config/statusvakt.example.yaml', import.meta.url), 'utf8');
const tempDir = () => mkdtempSync(join(tmpdir(), 'statusvakt-cli-'));

describe('statusvakt check-config', () => {
  it('prints a one-line summary for a good file and exits 0', async () => {
    const { code, stdout } = await runCli(['check-config', 'config/statusvakt.example.yaml']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(
      'config/statusvakt.example.yaml: OK — 1 organisation(s), 1 page(s), 4 component(s), 4 check(s), 2 SLA profile(s), 4 region(s)',
    );
  });

  it('names every mistake with file, line, path and fix, and exits 1', async () => {
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(
      file,
      example
        .replace('organisation: eksempel-kommune', 'organisation: nowhere')
        .replace('url: https://www.kl.dk/', 'url: http://www.kl.dk/')
        .replace('intervalSeconds: 60', 'intervalSecs: 60'),
    );
    const { code, stderr } = await runCli(['check-config', file]);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${file}:78  pages.0.groups.1.components.0.checks.0  unknown key "intervalSecs"; check the spelling against config/statusvakt.schema.json`);
    expect(lines[1]).toBe(`${file}:86  pages.0.groups.1.components.1.checks.0.url  must be an https:// URL (e.g. "https://login.example.dk/health")`);
    expect(lines[2]).toBe(`${file}:47  pages.0.organisation  unknown organisation "nowhere"; add it under organisations or use one of: "eksempel-kommune"`);
    expect(lines[3]).toBe(`3 problems in ${file}`);
  });

  it('says when the file cannot be read', async () => {
    const { code, stderr } = await runCli(['check-config', 'no/such.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read no/such.yaml: file not found');
  });

  it('rejects unknown commands and flags with the usage', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage: statusvakt/);
    const flag = await runCli(['start', '--colour', 'blue']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/Unknown option '--colour'/);
  });
});

describe('statusvakt start and serve', () => {
  it('stops with a message naming a bad environment variable', async () => {
    const { code, stderr } = await runCli(['serve'], { PORT: 'eighty', DATABASE_URL: 'mysql://db/x' });
    expect(code).toBe(1);
    expect(stderr).toContain('invalid environment:');
    expect(stderr).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(stderr).toContain('PORT: must be a port number');
  });

  it('takes the probe buffer limit from --max-buffered or the environment, and names a bad one', async () => {
    const flag = await runCli(['probe', '--region', 'north', '--api', 'http://127.0.0.1:9', '--max-buffered', '5'], { STATUSVAKT_PROBE_TOKEN: 'svp_x' });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('STATUSVAKT_PROBE_MAX_BUFFERED: must be at least 100');
    const env = await runCli(['probe', '--region', 'north', '--api', 'http://127.0.0.1:9'], { STATUSVAKT_PROBE_TOKEN: 'svp_x', STATUSVAKT_PROBE_MAX_BUFFERED: 'lots' });
    expect(env.stderr).toContain('STATUSVAKT_PROBE_MAX_BUFFERED: must be a whole number of results');
  });

  it('refuses to start on a broken config, printing every mistake', async () => {
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(file, example.replace('organisation: eksempel-kommune', 'organisation: nowhere'));
    const { code, stderr } = await runCli(['serve', '--config', file], { STATUSVAKT_DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(stderr).toContain('pages.0.organisation  unknown organisation "nowhere"');
  });

  it('serves the example on the embedded database, refuses a second process on the same folder, and stops cleanly', async () => {
    const dataDir = tempDir();
    const server = await startServer(['start'], { STATUSVAKT_DATA_DIR: dataDir });
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Driftsstatus for Eksempel Kommune');
      for (const name of ['Tofaktor-login', 'Skolelogin', 'Borgerportal', 'Sagsbehandling']) expect(html).toContain(name);

      const second = await runCli(['serve', '--port', '0'], { STATUSVAKT_DATA_DIR: dataDir });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`the data folder ${dataDir} is in use by another Statusvakt process (pid ${server.child.pid})`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('"msg":"stopped"');
    // the lock is released: the folder opens again, with the synchronised config in it
    const reopened = await openDatabase({ dataDir });
    expect(await reopened.isReady()).toBe(true);
    await reopened.close();
  });

  it('says so when the port is taken, and releases the data folder', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    const dataDir = tempDir();
    try {
      const result = await runCli(['serve', '--port', String(port)], { STATUSVAKT_DATA_DIR: dataDir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`statusvakt: cannot listen on 127.0.0.1:${port}: the port is already in use; choose another with --port/PORT or --host/HOST`);
      const reopened = await openDatabase({ dataDir });
      await reopened.close();
    } finally {
      busy.close();
    }
  });

  it('takes over the lock of a process that died without releasing it', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'statusvakt.lock'), '999999999\n');
    const handle = await openDatabase({ dataDir });
    expect(readFileSync(join(dataDir, 'statusvakt.lock'), 'utf8').trim()).toBe(String(process.pid));
    await handle.close();
  });
});

describe('statusvakt user add and api-token create', () => {
  it('creates the first admin with a generated password shown once, then refuses a duplicate', async () => {
    const dataDir = tempDir();
    const created = await runCli(['user', 'add', '--email', 'Admin@Kommune.example', '--name', 'Admin', '--role', 'admin', '--all-organisations'], { STATUSVAKT_DATA_DIR: dataDir });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created admin admin@kommune\.example\npassword \(shown once\): [\w-]{24}\n$/);
    const again = await runCli(['user', 'add', '--email', 'admin@kommune.example', '--role', 'admin', '--all-organisations'], { STATUSVAKT_DATA_DIR: dataDir, STATUSVAKT_USER_PASSWORD: 'another long password' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('a user admin@kommune.example exists already');
    const badRole = await runCli(['user', 'add', '--email', 'x@kommune.example', '--role', 'root'], { STATUSVAKT_DATA_DIR: dataDir });
    expect(badRole.stderr).toContain('--role must be one of admin, operator, viewer');
    const token = await runCli(['api-token', 'create', '--email', 'admin@kommune.example', '--label', 'ci', '--scopes', 'read,incidents:write'], { STATUSVAKT_DATA_DIR: dataDir });
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^svt_[0-9a-f]{12}_[\w-]{43}$/);
    const id = token.stdout.trim().split('_')[1]!;
    expect((await runCli(['api-token', 'revoke', id], { STATUSVAKT_DATA_DIR: dataDir })).stdout).toBe(`revoked API token ${id}\n`);
    expect((await runCli(['api-token', 'revoke', id], { STATUSVAKT_DATA_DIR: dataDir })).stderr).toContain(`no active API token "${id}"`);
    const totp = await runCli(['user', 'totp', '--email', 'admin@kommune.example'], { STATUSVAKT_DATA_DIR: dataDir });
    expect(totp.stdout).toMatch(/^second factor on for admin@kommune\.example; add this to an authenticator app \(shown once\):\notpauth:\/\/totp\/Statusvakt:admin%40kommune\.example\?issuer=Statusvakt&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30\n$/);
   }, 180_000); // seven runs of the CLI, each opening the embedded database
});
