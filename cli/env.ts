import { z } from 'zod';

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
  /** A remote probe's token (`statusvakt probe-token create`). */
  STATUSVAKT_PROBE_TOKEN: z.string().min(1).optional(),
  /** Where a remote probe keeps results the API has not taken yet. */
  STATUSVAKT_PROBE_BUFFER_DIR: z.string().min(1).optional(),
  /** PEM file with extra CA certificates the probe trusts (a private CA). */
  STATUSVAKT_PROBE_CA_FILE: z.string().min(1).optional(),
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
