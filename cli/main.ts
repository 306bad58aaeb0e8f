import { parseArgs } from 'node:util';
import { checkConfigCommand } from './check-config.ts';
import { EnvError, parseEnv } from './env.ts';
import { runServer } from './run-server.ts';

const USAGE = `Usage: statusvakt <command> [options]

Commands:
  start                 API, status site and an in-process probe (embedded database unless DATABASE_URL is set)
  serve                 API and status site without a probe, for deployments with remote probes
  check-config FILE     validate a configuration file and print every mistake
  help                  this text

Options for start and serve:
  --config FILE         configuration file (or STATUSVAKT_CONFIG; default config/statusvakt.example.yaml)
  --port N              port to listen on (or PORT; default 3000)
  --host ADDRESS        address to listen on (or HOST; default 127.0.0.1)
`;

/** The subcommands and the flags each accepts; compose.yaml is tested against this. */
export const COMMANDS = {
  start: ['config', 'port', 'host'],
  serve: ['config', 'port', 'host'],
  'check-config': [],
  help: [],
} as const satisfies Record<string, readonly string[]>;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`statusvakt: unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: command === 'check-config',
      options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      strict: true,
    });
    const allowed: readonly string[] = COMMANDS[command as keyof typeof COMMANDS];
    const unknown = Object.keys(parsed.values).filter((flag) => !allowed.includes(flag));
    if (unknown.length > 0) throw new Error(`option --${unknown[0]} does not apply to "${command}"`);
  } catch (error) {
    process.stderr.write(`statusvakt ${command}: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }

  if (command === 'check-config') return checkConfigCommand(parsed.positionals);

  let env;
  try {
    env = parseEnv({ ...process.env, ...(parsed.values.port ? { PORT: parsed.values.port } : {}), ...(parsed.values.host ? { HOST: parsed.values.host } : {}) });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`statusvakt: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const configFile = parsed.values.config ?? env.STATUSVAKT_CONFIG ?? 'config/statusvakt.example.yaml';
  return runServer({ env, configFile, withProbe: command === 'start' });
}
