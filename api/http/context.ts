import type { Logger } from 'pino';
import type { ConfigReloadOutcome } from '../../config/index.ts';
import type { DatabaseHandle } from '../../db/index.ts';

/** What every handler gets, built once per process and handed to `buildApp`. */
export type AppContext = {
  database: DatabaseHandle;
  now: () => Date;
  logger: Logger;
  /** Credentials /metrics requires; open when neither is set. */
  /** Mark session cookies Secure even on plain HTTP (behind a TLS-terminating proxy). */
  secureCookies?: boolean | undefined;
  /** Derives the tokens in subscription links (confirm, manage, unsubscribe); replicas share it. Unset: a random one per process (links die with it). */
  linkSecret?: string | undefined;
  /** Webhook URLs may be plain http or internal addresses (closed networks, tests). */
  webhooksAllowInternal?: boolean | undefined;
  /** Whether an SMTP server is configured; false makes the console say that mail stays queued. Unset: not known here. */
  mailConfigured?: boolean | undefined;
  /** Encrypts TOTP secrets at rest (STATUSVAKT_SECRET_KEY). */
  secretKey?: Buffer | undefined;
  /** The public address of the site, for public JSON; without it, links are relative to http://localhost/. */
  publicUrl?: string | undefined;
  /** Reads the config file again and applies it (set by the server that was started from one); unset, POST /api/v1/config/reload answers that this process cannot. */
  reloadConfig?: (() => Promise<ConfigReloadOutcome>) | undefined;
  metricsAuth?: { bearer?: string | undefined; basic?: string | undefined } | undefined;
};
