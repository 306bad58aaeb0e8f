import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../cli/help-texts.ts';
import { ROOT, runCli } from './support/run-cli.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'statusvakt-cli-help-'));
const packageVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs the CLI for each argument list, a few at a time (the machine is shared). */
async function runAll(lists: string[][], env: Record<string, string> = {}) {
  const results: Awaited<ReturnType<typeof runCli>>[] = [];
  for (let i = 0; i < lists.length; i += 4) results.push(...(await Promise.all(lists.slice(i, i + 4).map((args) => runCli(args, env)))));
  return results;
}

describe('statusvakt --help and --version', () => {
  const invocations = Object.entries(HELP).flatMap(([command, entry]) => [
    [command, '--help'],
    ...Object.keys('subcommands' in entry ? entry.subcommands : {}).map((sub) => [command, sub, '--help']),
  ]);

  it('prints the usage of every command and subcommand on --help and exits 0', async () => {
    const results = await runAll(invocations);
    for (const [i, args] of invocations.entries()) {
      const { code, stdout, stderr } = results[i]!;
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(0);
      expect(stderr, args.join(' ')).toBe('');
      // the text names the command (and subcommand) it is about
      expect(stdout, args.join(' ')).toMatch(new RegExp(`^Usage: statusvakt ${args.slice(0, -1).join(' ')}\\b`));
    }
    expect(invocations.length).toBeGreaterThan(20);
  }, 180_000);

  it('takes -h, help COMMAND, and --help even beside a wrong option', async () => {
    const [short, viaHelp, besideWrong, unknownTopic] = await runAll([['user', 'remove', '-h'], ['help', 'user', 'add'], ['serve', '--colour', 'blue', '--help'], ['help', 'frobnicate']]);
    expect(short!.stdout).toMatch(/^Usage: statusvakt user remove --email E/);
    expect(viaHelp!.stdout).toMatch(/^Usage: statusvakt user add .*--all-organisations/);
    expect(besideWrong!.code).toBe(0);
    expect(besideWrong!.stdout).toMatch(/^Usage: statusvakt serve/);
    expect(unknownTopic!.code).toBe(1);
    expect(unknownTopic!.stderr).toContain('no command "frobnicate"');
  }, 60_000);

  it('prints the version from package.json', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`statusvakt ${packageVersion}\n`);
  });

  it('documents the exit codes in the usage and the README', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}done\n {2}1 {2}usage: .*\n {2}2 {2}runtime: /);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/\| *`1` *\| *usage/);
    expect(readme).toMatch(/\| *`2` *\| *runtime/);
  });
});

describe('exit codes', () => {
  it('1 for usage, 2 for a runtime failure', async () => {
    const dataDir = tempDir();
    const [noCommand, wrongFlag, missingArgument, fine] = await runAll([[], ['user', 'add', '--colour'], ['sla', 'verify'], ['probe-token', 'list']], { STATUSVAKT_DATA_DIR: dataDir });
    expect(noCommand!.code).toBe(1);
    expect(wrongFlag!.code).toBe(1);
    expect(missingArgument!.code).toBe(1);
    expect(fine!.code, fine!.stderr).toBe(0);
    // a database nobody listens on: the command was right, running it failed
    const unreachable = await runCli(['probe-token', 'list'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:9/none' });
    expect(unreachable.code, unreachable.stderr).toBe(2);
    expect(unreachable.stderr).not.toContain('secret');
    expect(unreachable.stderr.split('\n')[0]).toBe('statusvakt probe-token: database PostgreSQL at nobody@127.0.0.1:9/none');
  }, 120_000);
});

describe('the database a command uses is named in its first line', () => {
  it('names the embedded database with its absolute folder, and PostgreSQL without its password', async () => {
    const dataDir = tempDir();
    const pglite = await runCli(['probe-token', 'list'], { STATUSVAKT_DATA_DIR: dataDir });
    expect(pglite.code, pglite.stderr).toBe(0);
    expect(pglite.stderr.split('\n')[0]).toBe(`statusvakt probe-token: database PGlite in ${dataDir}`);
    // a relative folder is shown resolved, so an operator sees where a user really landed
    const fromRelative = await runCli(['user', 'add', '--email', 'a@kommune.example', '--role', 'admin', '--all-organisations'], { STATUSVAKT_DATA_DIR: relative(ROOT, dataDir) });
    expect(fromRelative.stderr.split('\n')[0]).toBe(`statusvakt user: database PGlite in ${dataDir}`);
    if (!postgresAdminUrl) return;
    // a database of its own: the command migrates the database it is given, and the server's own is no place for that
    const database = await createPostgresDatabase();
    try {
      const postgres = await runCli(['probe-token', 'list'], { DATABASE_URL: database.url });
      expect(postgres.code, postgres.stderr).toBe(0);
      const parsed = new URL(database.url);
      expect(postgres.stderr.split('\n')[0]).toBe(`statusvakt probe-token: database PostgreSQL at ${parsed.username ? `${parsed.username}@` : ''}${parsed.hostname}:${parsed.port || 5432}/${parsed.pathname.slice(1)}`);
      if (parsed.password) expect(postgres.stderr).not.toContain(parsed.password);
    } finally {
      await database.drop();
    }
  }, 120_000);
});
