import { parseArgs } from 'node:util';
import { checkConfigCommand } from './check-config.ts';
import { EnvError, parseEnv, type Env } from './env.ts';
import { probeCommand } from './probe-command.ts';
import { probeTokenCommand } from './probe-token-command.ts';
import { runServer } from './run-server.ts';
import { slaCommand } from './sla-command.ts';
import { userCommand } from './user-command.ts';

const USAGE = `Usage: statusvakt <command> [options]

Commands:
  start                       API, status site and an in-process probe (embedded database unless DATABASE_URL is set)
  serve                       API and status site without a probe, for deployments with remote probes
  probe --region NAME --api URL
                              a remote probe of one region (token in STATUSVAKT_PROBE_TOKEN)
  probe-token create --region NAME [--label TEXT] | list | revoke ID
                              manage remote probes' tokens
  user add --email E --name N --role admin|operator|viewer [--organisation ID]
                              create an operator account (password from STATUSVAKT_USER_PASSWORD, or generated)
  user totp --email E         turn on the second factor (prints the otpauth:// URI once)
  api-token create --email E --label L --scopes read,incidents:write | api-token revoke ID
                              API tokens for automation, acting as their user within the scopes
  check-config FILE           validate a configuration file and print every mistake
  sla compute FILE            the figures of an SLA statement, recomputed offline from its inputs
  sla verify FILE             recompute a statement and say whether every figure matches
  help                        this text

Options:
  --config FILE               configuration file (or STATUSVAKT_CONFIG; default config/statusvakt.example.yaml)
  --port N, --host ADDRESS    where to listen (or PORT, HOST; default 3000 on 127.0.0.1)
  --buffer-dir DIR            where a probe keeps results the API has not taken (default ./probe-buffer/REGION)
`;

/** Each subcommand, the flags it accepts and whether it takes positional arguments; compose.yaml is tested against this. */
export const COMMANDS = {
  start: { flags: ['config', 'port', 'host'], positionals: false },
  serve: { flags: ['config', 'port', 'host'], positionals: false },
  probe: { flags: ['region', 'api', 'buffer-dir'], positionals: false },
  'probe-token': { flags: ['region', 'label'], positionals: true },
  'check-config': { flags: [], positionals: true },
  sla: { flags: [], positionals: true },
  user: { flags: ['email', 'name', 'role', 'organisation'], positionals: true },
  'api-token': { flags: ['email', 'label', 'scopes'], positionals: true },
  help: { flags: [], positionals: false },
} as const satisfies Record<string, { flags: readonly string[]; positionals: boolean }>;

type Command = keyof typeof COMMANDS;
const FLAGS = ['config', 'port', 'host', 'region', 'api', 'buffer-dir', 'label', 'email', 'name', 'role', 'organisation', 'scopes'] as const;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 1 : 0;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`statusvakt: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  const command = name as Command;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: COMMANDS[command].positionals,
      options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
    });
    const allowed: readonly string[] = COMMANDS[command].flags;
    const misplaced = Object.keys(parsed.values).filter((flag) => !allowed.includes(flag));
    if (misplaced.length > 0) throw new Error(`option --${misplaced[0]} does not apply to "${command}"`);
  } catch (error) {
    process.stderr.write(`statusvakt ${command}: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  const values = parsed.values as Partial<Record<(typeof FLAGS)[number], string>>;
  if (command === 'check-config') return checkConfigCommand(parsed.positionals);
  if (command === 'sla') return slaCommand(parsed.positionals);

  let env: Env;
  try {
    env = parseEnv({ ...process.env, ...(values.port ? { PORT: values.port } : {}), ...(values.host ? { HOST: values.host } : {}) });
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`statusvakt: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  switch (command) {
    case 'probe':
      return probeCommand({ env, region: values.region, api: values.api, bufferDir: values['buffer-dir'] });
    case 'user':
    case 'api-token':
      return userCommand({ env, command, positionals: parsed.positionals, values });
    case 'probe-token':
      return probeTokenCommand({ env, positionals: parsed.positionals, region: values.region, label: values.label });
    default: {
      const configFile = values.config ?? env.STATUSVAKT_CONFIG ?? 'config/statusvakt.example.yaml';
      return runServer({ env, configFile, withProbe: command === 'start' });
    }
  }
}
