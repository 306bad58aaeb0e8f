import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/index.ts';

/** What every handler gets, built once per process and handed to `buildApp`. */
export type AppContext = {
  database: DatabaseHandle;
  now: () => Date;
  logger: Logger;
  /** Credentials /metrics requires; open when neither is set. */
  /** Mark session cookies Secure even on plain HTTP (behind a TLS-terminating proxy). */
  secureCookies?: boolean | undefined;
  metricsAuth?: { bearer?: string | undefined; basic?: string | undefined } | undefined;
};
