/**
 * What `statusvakt <command> --help` and `statusvakt <command> <subcommand> --help` print.
 * One entry a command; a command with subcommands has one text each, and its
 * own text lists them. Kept as data so a test can ask every one of them.
 */
export type HelpEntry = { text: string; subcommands?: Record<string, string> };

const CONFIG = '  --config FILE        configuration file (or STATUSVAKT_CONFIG; default config/statusvakt.example.yaml)';
const DATABASE = 'Database: PostgreSQL when DATABASE_URL is set, else the embedded PGlite in STATUSVAKT_DATA_DIR (default ./data); the first line names the one used.';

export const HELP = {
  start: {
    text: `Usage: statusvakt start [--config FILE] [--port N] [--host ADDRESS]

API, status site and an in-process probe.

${CONFIG}
  --port N             where to listen (or PORT; default 3000)
  --host ADDRESS       the address to listen on (or HOST; default 127.0.0.1)

${DATABASE}`,
  },
  serve: {
    text: `Usage: statusvakt serve [--config FILE] [--port N] [--host ADDRESS]

API and status site without a probe, for deployments with remote probes.

${CONFIG}
  --port N             where to listen (or PORT; default 3000)
  --host ADDRESS       the address to listen on (or HOST; default 127.0.0.1)

${DATABASE}`,
  },
  probe: {
    text: `Usage: statusvakt probe --region NAME --api URL [--buffer-dir DIR] [--max-buffered N]

A remote probe of one region; its token comes from STATUSVAKT_PROBE_TOKEN. It uses no database.

  --region NAME        the region id from the config
  --api URL            the Statusvakt API, e.g. http://statusvakt:3000
  --buffer-dir DIR     where results the API has not taken are kept (default ./probe-buffer/REGION)
  --max-buffered N     how many results are kept at most (or STATUSVAKT_PROBE_MAX_BUFFERED; default 100000)`,
  },
  'probe-token': {
    text: `Usage: statusvakt probe-token create --region NAME [--label TEXT] | list | revoke ID

Tokens for remote probes.

Subcommands:
  create               issue a token for a region (printed once)
  list                 every token, active or revoked
  revoke ID            stop a token working

${DATABASE}`,
    subcommands: {
      create: 'Usage: statusvakt probe-token create --region NAME [--label TEXT]\n\nIssues a token for the region; it is printed once, give it to the probe as STATUSVAKT_PROBE_TOKEN.',
      list: 'Usage: statusvakt probe-token list\n\nEvery probe token with its region, label and when it was last used.',
      revoke: 'Usage: statusvakt probe-token revoke ID\n\nStops the token working; the probe using it is refused from its next request.',
    },
  },
  user: {
    text: `Usage: statusvakt user <subcommand> [options]

Operator accounts.

Subcommands:
  add --email E --name N --role admin|operator|viewer (--organisation ID[,ID] | --all-organisations)
                       create an account (password from STATUSVAKT_USER_PASSWORD, or generated and printed once)
  list                 every account with its role, organisations, second factor and whether it is disabled
  disable --email E    stop an account logging in; its sessions and API tokens stop working at once
  enable --email E     let a disabled account log in again
  remove --email E     delete an account with its sessions and API tokens (the audit log keeps its name)
  reset-password --email E
                       set a new password (STATUSVAKT_USER_PASSWORD, or generated and printed once) and end its sessions
  reset-totp --email E turn the second factor off, so the user can set it up again
  totp --email E       turn on the second factor (prints the otpauth:// URI once)

${DATABASE}`,
    subcommands: {
      add: `Usage: statusvakt user add --email E --name N --role admin|operator|viewer (--organisation ID[,ID] | --all-organisations)

Creates an account. Its organisations must exist (the ids in the config); an account that may see every
organisation, present and future, must be asked for with --all-organisations. The password comes from
STATUSVAKT_USER_PASSWORD (12 characters or more), or is generated and printed once.`,
      list: 'Usage: statusvakt user list\n\nEvery account: e-mail, name, role, organisations, second factor, and whether it is disabled.',
      disable: 'Usage: statusvakt user disable --email E\n\nThe account can no longer log in; its sessions and API tokens are refused from now on.',
      enable: 'Usage: statusvakt user enable --email E\n\nLets a disabled account log in again.',
      remove: 'Usage: statusvakt user remove --email E\n\nDeletes the account, its sessions and its API tokens. The audit log keeps its name.',
      'reset-password': 'Usage: statusvakt user reset-password --email E\n\nSets a new password (STATUSVAKT_USER_PASSWORD, or a generated one printed once) and ends every session of the account.',
      'reset-totp': 'Usage: statusvakt user reset-totp --email E\n\nTurns the second factor off and ends every session; set it up again with `statusvakt user totp`.',
      totp: 'Usage: statusvakt user totp --email E\n\nTurns on the second factor and prints the otpauth:// URI once, for an authenticator app.',
    },
  },
  'api-token': {
    text: `Usage: statusvakt api-token create --email E --label L --scopes read,incidents:write | revoke ID

API tokens for automation, acting as their user within the scopes.

Subcommands:
  create               issue a token (printed once on standard output)
  revoke ID            stop a token working

${DATABASE}`,
    subcommands: {
      create: 'Usage: statusvakt api-token create --email E --label L --scopes read,incidents:write,windows:write,exclusions:write,config:write\n\nIssues a token acting as the user within the scopes; it is printed once.',
      revoke: 'Usage: statusvakt api-token revoke ID\n\nStops the token working (ID is the part after svt_).',
    },
  },
  'export-site': {
    text: `Usage: statusvakt export-site DIR [--every SECONDS] [--config FILE]

Writes the public site (pages in every language, public JSON, feeds) as static files for any web server.

  --every SECONDS      export again every SECONDS (5-86400) until stopped
${CONFIG}

${DATABASE}`,
  },
  config: {
    text: `Usage: statusvakt config reload [--api URL]

Changes to the config file without a restart.

Subcommands:
  reload               the running server reads its config file again and reports what changed

The running server can also be told with a signal: kill -HUP <pid of statusvakt start|serve>.`,
    subcommands: {
      reload: `Usage: statusvakt config reload [--api URL]

Asks the running server to read its config file again. The file is checked as at start; one with a
mistake is refused (file, line and how to fix it are printed, exit 1) and the running config stays.
A good one is applied in one transaction; probes get their new checks with their next assignment,
and what was added, changed and removed is printed.

  --api URL            the server (default http://HOST:PORT from the environment, i.e. http://127.0.0.1:3000)

The token comes from STATUSVAKT_API_TOKEN: an API token of an administrator of all organisations
with the config:write scope (statusvakt api-token create --scopes config:write). Uses no database.
Without a token, send the server SIGHUP instead.`,
    },
  },
  'check-config': {
    text: 'Usage: statusvakt check-config FILE\n\nValidates a configuration file and prints every mistake with its line and how to fix it. Uses no database.',
  },
  sla: {
    text: `Usage: statusvakt sla compute FILE | sla verify FILE

Offline checks of an exported SLA statement; no database.

Subcommands:
  compute FILE         the figures, recomputed from the statement's inputs
  verify FILE          recompute and say whether every figure matches (exit 2 when one does not)`,
    subcommands: {
      compute: 'Usage: statusvakt sla compute FILE\n\nPrints the figures of a statement, recomputed offline from its inputs.',
      verify: 'Usage: statusvakt sla verify FILE\n\nRecomputes a statement and says whether every figure (and the content hash) matches; exits 2 when one does not.',
    },
  },
  alerts: {
    text: `Usage: statusvakt alerts test ROUTE [--config FILE]

Subcommands:
  test ROUTE           send a test alert through every channel of an alert route and report each (exit 2 when one fails)

${DATABASE}`,
    subcommands: {
      test: `Usage: statusvakt alerts test ROUTE [--config FILE]\n\nSends a test alert through every channel of the route, through the outbox like any alert, and prints one line per channel; exits 2 when a channel fails.\n\n${CONFIG}`,
    },
  },
  help: { text: 'Usage: statusvakt help [COMMAND]\n\nThe list of commands, or the help of one.' },
} as const satisfies Record<string, HelpEntry>;

/** The help to print for `args` (the words after the command), or the command's own when no subcommand is named. */
export function helpOf(command: keyof typeof HELP, args: readonly string[]): string {
  const entry: HelpEntry = HELP[command];
  const sub = args.find((arg) => !arg.startsWith('-'));
  const text = sub !== undefined && entry.subcommands?.[sub] !== undefined ? entry.subcommands[sub] : entry.text;
  return `${text}\n`;
}
