import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, syncConfig } from '../db/index.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';
import { runCli } from './support/run-cli.ts';

// PostgreSQL, so each run of the CLI connects rather than opening an embedded database anew
describe.skipIf(!postgresAdminUrl)('statusvakt user, administering accounts from the command line', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const user = (...args: string[]) => runCli(['user', ...args], { DATABASE_URL: database.url, STATUSVAKT_USER_PASSWORD: '' });

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    await syncConfig(handle.db, testConfig(), new Date());
    await handle.close();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('refuses an unknown organisation by name and a missing one unless every organisation is asked for', async () => {
    const unknown = await user('add', '--email', 'a@kommune.example', '--role', 'operator', '--organisation', 'kommunen');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no organisation "kommunen"; there are: "kommune" (Kommune)');
    const missing = await user('add', '--email', 'a@kommune.example', '--role', 'operator');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--organisation ID[,ID], or --all-organisations');
    const both = await user('add', '--email', 'a@kommune.example', '--role', 'operator', '--organisation', 'kommune', '--all-organisations');
    expect(both.code).toBe(1);
    expect((await user('list')).stdout).toBe('no users; create one with `statusvakt user add`\n');

    const scoped = await user('add', '--email', 'a@kommune.example', '--name', 'Anna', '--role', 'operator', '--organisation', 'kommune');
    expect(scoped.code, scoped.stderr).toBe(0);
    const all = await user('add', '--email', 'root@kommune.example', '--name', 'Root', '--role', 'admin', '--all-organisations');
    expect(all.code, all.stderr).toBe(0);
    const list = await user('list');
    expect(list.stdout).toMatch(/^a@kommune\.example {2}Anna {2}operator {2}kommune {2}second factor off {2}active\nroot@kommune\.example {2}Root {2}admin {2}all organisations {2}second factor off {2}active\n$/);
  }, 120_000);

  it('disables, enables, resets and removes, and names an unknown account', async () => {
    const disabled = await user('disable', '--email', 'a@kommune.example');
    expect(disabled.stdout).toBe('a@kommune.example: disabled; its sessions have ended and its API tokens are refused\n');
    expect((await user('list')).stdout).toMatch(/^a@kommune\.example .* disabled \d{4}-\d\d-\d\dT/);
    expect((await user('enable', '--email', 'a@kommune.example')).stdout).toBe('a@kommune.example: enabled\n');
    const reset = await user('reset-password', '--email', 'a@kommune.example');
    expect(reset.stdout).toMatch(/^new password for a@kommune\.example; its sessions have ended\npassword \(shown once\): [\w-]{24}\n$/);
    expect((await user('totp', '--email', 'a@kommune.example')).code).toBe(0);
    expect((await user('list')).stdout).toContain('second factor on');
    expect((await user('reset-totp', '--email', 'a@kommune.example')).code).toBe(0);
    expect((await user('list')).stdout).not.toContain('second factor on');
    expect((await user('remove', '--email', 'a@kommune.example')).stdout).toBe('a@kommune.example: removed, with its sessions and API tokens\n');
    const gone = await user('remove', '--email', 'a@kommune.example');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no user a@kommune.example');
    const wrong = await user('frobnicate');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('no subcommand "frobnicate": one of add, list, disable');
  }, 120_000);
});
