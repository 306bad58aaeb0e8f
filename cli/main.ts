import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes.ts';
import { HELP, helpOf } from './help-texts.ts';
import type { Env } from './env.ts';

// the commands are loaded when run, so --help and --version answer at once, without loading the API and the database driver

const USAGE = `Usage: statusvakt <command> [options]
       statusvakt <command> [<subcommand>] --help      the options of one command
       statusvakt --version

Commands:
  start                       API, status site and an in-process probe (embedded database unless DATABASE_URL is set)
  serve                       API and status site without a probe, for deployments with remote probes
  probe --region NAME --api URL
                              a remote probe of one region (token in STATUSVAKT_PROBE_TOKEN)
  probe-token create --region NAME [--label TEXT] | list | revoke ID
                              manage remote probes' tokens
  user add --email E --name N --role admin|operator|viewer (--organisation ID | --all-organisations)
                              create an operator account (password from STATUSVAKT_USER_PASSWORD, or generated)
  user list | disable | enable | remove | reset-password | reset-totp --email E
                              list and administer accounts
  user totp --email E         turn on the second factor (prints the otpauth:// URI once)
  api-token create --email E --label L --scopes read,incidents:write | api-token revoke ID
                              API tokens for automation, acting as their user within the scopes
  export-site DIR [--every SECONDS]
                              write the public site (pages in every language, public JSON, feeds) as
                              static files for any web server; --every re-exports on that schedule
  config reload [--api URL]   the running server reads its config file again and says what changed (or SIGHUP)
  check-config FILE           validate a configuration file and print every mistake
  sla compute FILE            the figures of an SLA statement, recomputed offline from its inputs
  sla verify FILE             recompute a statement and say whether every figure matches
  alerts test ROUTE           send a test alert through every channel of an alert route and report each
  help [COMMAND]              this text, or the help of one command

Options:
  --config FILE               configuration file (or STATUSVAKT_CONFIG; default config/statusvakt.example.yaml)
  --port N, --host ADDRESS    where to listen (or PORT, HOST; default 3000 on 127.0.0.1)
  --every SECONDS             export-site: export again every SECONDS (5-86400) until stopped
  --buffer-dir DIR            where a probe keeps results the API has not taken (default ./probe-buffer/REGION)
  --max-buffered N            how many results a probe keeps for the API at most; past that the oldest are
                              dropped (or STATUSVAKT_PROBE_MAX_BUFFERED; default 100000)

Commands that use a database name it (driver and location) in their first line of output.

Exit codes:
  0  done
  1  usage: an unknown command or option, a missing or wrong argument, environment variable or config file
  2  runtime: the command was right but failed (database locked or unreachable, port taken, a channel failed)
`;

/** Each subcommand, the flags it accepts and whether it takes positional arguments; compose.yaml is tested against this. */
export const COMMANDS = {
  start: { flags: ['config', 'port', 'host'], positionals: false },
  serve: { flags: ['config', 'port', 'host'], positionals: false },
  probe: { flags: ['region', 'api', 'buffer-dir', 'max-buffered'], positionals: false },
  'probe-token': { flags: ['region', 'label'], positionals: true },
  'check-config': { flags: [], positionals: true },
  config: { flags: ['api'], positionals: true },
  'export-site': { flags: ['config', 'every'], positionals: true },
  sla: { flags: [], positionals: true },
  alerts: { flags: ['config'], positionals: true },
  user: { flags: ['email', 'name', 'role', 'organisation', 'all-organisations'], positionals: true },
  'api-token': { flags: ['email', 'label', 'scopes'], positionals: true },
  help: { flags: [], positionals: true },
} as const satisfies Record<string, { flags: readonly string[]; positionals: boolean }>;

/** The commands that open the database, and so name it first. */
const USES_DATABASE: ReadonlySet<Command> = new Set(['start', 'serve', 'probe-token', 'export-site', 'alerts', 'user', 'api-token']);

type Command = keyof typeof COMMANDS;
const FLAGS = ['config', 'port', 'host', 'region', 'api', 'buffer-dir', 'max-buffered', 'label', 'email', 'name', 'role', 'organisation', 'scopes', 'every'] as const;
const SWITCHES = ['all-organisations'] as const;

/** The version in package.json, for `statusvakt --version`. */
function version(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Runs one command; an error nobody expected is reported in a line and exits 2 (runtime), never as a stack on a usage mistake. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await runCommand(argv);
  } catch (error) {
    process.stderr.write(`statusvakt: ${(error as Error).message}\n`);
    return EXIT.runtime;
  }
}

async function runCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`statusvakt ${version()}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`statusvakt: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const command = name as Command;
  if (command === 'help') {
    const [topic, ...sub] = rest.filter((arg) => arg !== '--help' && arg !== '-h');
    if (topic === undefined) process.stdout.write(rest.length > 0 ? helpOf('help', []) : USAGE);
    else if (topic in HELP) process.stdout.write(helpOf(topic as Command, sub));
    else {
      process.stderr.write(`statusvakt help: no command "${topic}"\n\n${USAGE}`);
      return EXIT.usage;
    }
    return EXIT.ok;
  }
  // --help anywhere after the command wins over every other flag, even a wrong one
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpOf(command, rest));
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: COMMANDS[command].positionals,
      options: { ...Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }])), ...Object.fromEntries(SWITCHES.map((flag) => [flag, { type: 'boolean' as const }])) },
      strict: true,
    });
    const allowed: readonly string[] = COMMANDS[command].flags;
    const misplaced = Object.keys(parsed.values).filter((flag) => !allowed.includes(flag));
    if (misplaced.length > 0) throw new Error(`option --${misplaced[0]} does not apply to "${command}"`);
  } catch (error) {
    process.stderr.write(`statusvakt ${command}: ${(error as Error).message}\n\n${helpOf(command, rest)}`);
    return EXIT.usage;
  }
  const values = parsed.values as Partial<Record<(typeof FLAGS)[number], string>> & Partial<Record<(typeof SWITCHES)[number], boolean>>;
  if (command === 'check-config') return (await import('./check-config.ts')).checkConfigCommand(parsed.positionals);
  if (command === 'sla') return (await import('./sla-command.ts')).slaCommand(parsed.positionals);

  const { EnvError, parseEnv } = await import('./env.ts');
  let env: Env;
  try {
    env = parseEnv({
      ...process.env,
      ...(values.port ? { PORT: values.port } : {}),
      ...(values.host ? { HOST: values.host } : {}),
      ...(values['max-buffered'] ? { STATUSVAKT_PROBE_MAX_BUFFERED: values['max-buffered'] } : {}),
    });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`statusvakt: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  // on stderr, so what a command prints on stdout (a token, say) stays fit for a pipe
  const { describeDatabase } = await import('../db/index.ts');
  if (USES_DATABASE.has(command)) process.stderr.write(`statusvakt ${command}: database ${describeDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.STATUSVAKT_DATA_DIR })}\n`);
  switch (command) {
    case 'probe':
      return (await import('./probe-command.ts')).probeCommand({ env, region: values.region, api: values.api, bufferDir: values['buffer-dir'] });
    case 'user':
    case 'api-token':
      return (await import('./user-command.ts')).userCommand({ env, command, positionals: parsed.positionals, values });
    case 'alerts':
      return (await import('./alerts-command.ts')).alertsCommand({ env, configFile: values.config ?? env.STATUSVAKT_CONFIG ?? 'config/statusvakt.example.yaml', positionals: parsed.positionals });
    case 'config':
      return (await import('./config-command.ts')).configCommand({ env, positionals: parsed.positionals, api: values.api });
    case 'probe-token':
      return (await import('./probe-token-command.ts')).probeTokenCommand({ env, positionals: parsed.positionals, region: values.region, label: values.label });
    case 'export-site':
      return (await import('./export-site-command.ts')).exportSiteCommand({ env, configFile: values.config ?? env.STATUSVAKT_CONFIG ?? 'config/statusvakt.example.yaml', positionals: parsed.positionals, every: values.every });
    default: {
      const configFile = values.config ?? env.STATUSVAKT_CONFIG ?? 'config/statusvakt.example.yaml';
      return (await import('./run-server.ts')).runServer({ env, configFile, withProbe: command === 'start' });
    }
  }
}
