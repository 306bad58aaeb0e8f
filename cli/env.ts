import { z } from 'zod';
import { parseSecretKey, parseTrustedProxies } from '../api/index.ts';

/**
 * Every environment variable Statusvakt reads, parsed once per process.
 * Nothing else reads `process.env`.
 */
export const Env = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL, e.g. postgres://statusvakt:secret@db:5432/statusvakt' })
    .optional()
    .describe('PostgreSQL; when unset, the embedded database (PGlite) in STATUSVAKT_DATA_DIR'),
  STATUSVAKT_DATA_DIR: z.string().min(1).default('./data'),
  STATUSVAKT_CONFIG: z.string().min(1).optional(),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, /metrics asks for this bearer token. */
  METRICS_BEARER_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** When set (user:password), /metrics asks for HTTP basic auth. */
  METRICS_BASIC_AUTH: z.string().regex(/^[^:]+:.{8,}$/, { message: 'must be user:password with a password of 8 or more characters' }).optional(),
  /** The password `statusvakt user add` gives the new user; generated and printed when unset. */
  STATUSVAKT_USER_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).optional(),
  /** Mark session cookies Secure even on plain HTTP, behind a TLS-terminating proxy. */
  STATUSVAKT_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  /** Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses or CIDR blocks, separated by commas); from anyone else those headers are ignored. */
  STATUSVAKT_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const parsed = parseTrustedProxies(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${parsed.message}; list the load balancer's addresses, e.g. STATUSVAKT_TRUSTED_PROXIES=10.0.0.0/8,192.168.1.10` });
    }),
  /** The address the public reaches this server at: the base of public JSON links and of links in mails (never the request's Host header). Default http://HOST:PORT. */
  STATUSVAKT_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL, e.g. https://status.example.dk/' }).optional(),
  /** 32 bytes (64 hex characters or 44 base64) that encrypt TOTP secrets at rest (AES-256-GCM); make one with `openssl rand -hex 32`. */
  STATUSVAKT_SECRET_KEY: z
    .string()
    .optional()
    .refine((value) => value === undefined || parseSecretKey(value) !== undefined, { message: 'must be 32 bytes as 64 hex characters or base64 (e.g. the output of `openssl rand -hex 32`)' }),
  /** A remote probe's token (`statusvakt probe-token create`). */
  STATUSVAKT_PROBE_TOKEN: z.string().min(1).optional(),
  /** `true`: the server reloads its config file by itself when the file changes (as `statusvakt config reload` does). */
  STATUSVAKT_CONFIG_WATCH: z.enum(['true', 'false']).default('false'),
  /** An API token with the `config:write` scope, for `statusvakt config reload` (`statusvakt api-token create`). */
  STATUSVAKT_API_TOKEN: z.string().min(1).optional(),
  /** Where a remote probe keeps results the API has not taken yet. */
  STATUSVAKT_PROBE_BUFFER_DIR: z.string().min(1).optional(),
  /** How many results a remote probe keeps for the API at most; past that the oldest are dropped (`--max-buffered`). */
  STATUSVAKT_PROBE_MAX_BUFFERED: z.coerce
    .number({ message: 'must be a whole number of results, e.g. 100000' })
    .int({ message: 'must be a whole number of results, e.g. 100000' })
    .min(100, { message: 'must be at least 100 (the results of a minute or two)' })
    .max(10_000_000, { message: 'must be at most 10000000; results are also held in memory' })
    .default(100_000),
  /** PEM file with extra CA certificates the probe trusts (a private CA). */
  STATUSVAKT_PROBE_CA_FILE: z.string().min(1).optional(),
  /** Outgoing mail: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465. Unset: mail stays queued in the outbox. */
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:secret@mail.example.dk:587' })
    .optional(),
  /** The From of every mail, e.g. `Driftsstatus <status@kommune.dk>`; default statusvakt@ the public URL's host. */
  STATUSVAKT_MAIL_FROM: z.string().min(3).optional(),
  /** Refuse to send unless the server offers STARTTLS; default true when SMTP_URL carries a password. */
  STATUSVAKT_SMTP_REQUIRE_TLS: z.enum(['true', 'false']).optional(),
  /** Open SMTP connections at most. */
  STATUSVAKT_SMTP_MAX_CONNECTIONS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(50).default(5),
  /** Signs the tokens in confirm, manage and unsubscribe links; replicas must share it. Unset: generated once into STATUSVAKT_DATA_DIR. */
  STATUSVAKT_SECRET: z.string().min(32, { message: 'must be at least 32 characters, e.g. the output of `openssl rand -base64 33`' }).optional(),
  /** Let webhook URLs be plain http or resolve to loopback/private addresses (a closed network); otherwise refused. */
  STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL: z.enum(['true', 'false']).default('false'),
});
export type Env = z.infer<typeof Env>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment; a bad variable is named with what it must be. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // an empty variable means "not set", as in most shells' `VAR= cmd`
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = Env.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
}

/**
 * Reads a variable the config names for a secret: an alert channel's (a
 * Slack or Teams URL, a webhook signing key) or a `graph` check's client id
 * and secret. These names come from the config, so they cannot be part of
 * the schema above; an empty value counts as unset.
 */
export function alertSecretReader(source: Record<string, string | undefined> = process.env): (name: string) => string | undefined {
  return (name) => (source[name] ? source[name] : undefined);
}
