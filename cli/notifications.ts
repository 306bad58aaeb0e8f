import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { alertRoutesOf, createSmtpChannel, startOutboxWorker } from '../alerts/index.ts';
import type { StatusvaktConfig } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { alertSecretReader, type Env } from './env.ts';

/**
 * The secret under which link tokens are derived: STATUSVAKT_SECRET, else one
 * generated once and kept in the data folder (mode 0600), so links in mails
 * already sent keep working after a restart.
 */
export function loadLinkSecret(env: Env, logger: Logger): string {
  if (env.STATUSVAKT_SECRET) return env.STATUSVAKT_SECRET;
  const file = join(env.STATUSVAKT_DATA_DIR, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(env.STATUSVAKT_DATA_DIR, { recursive: true });
  const secret = randomBytes(33).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  if (env.DATABASE_URL) logger.warn({ file }, 'STATUSVAKT_SECRET is not set: generated one in the data folder; with several replicas set the same STATUSVAKT_SECRET on each, or their links will not work on the others');
  return secret;
}

/** The public base URL of links, without a trailing slash. */
export function publicUrlOf(env: Env): string {
  return (env.STATUSVAKT_PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`).replace(/\/+$/, '');
}

/** The SMTP channel from SMTP_URL, or null when mail is not configured. */
export function mailChannelOf(env: Env, logger: Logger) {
  if (!env.SMTP_URL) return null;
  const host = new URL(publicUrlOf(env)).hostname;
  const smtp = new URL(env.SMTP_URL);
  const requireTls = env.STATUSVAKT_SMTP_REQUIRE_TLS ? env.STATUSVAKT_SMTP_REQUIRE_TLS === 'true' : smtp.protocol === 'smtp:' && smtp.password !== '';
  logger.info({ smtp: `${smtp.protocol}//${smtp.hostname}:${smtp.port || (smtp.protocol === 'smtps:' ? 465 : 587)}`, requireTls }, 'notifications are sent by SMTP');
  return createSmtpChannel({ url: env.SMTP_URL, from: env.STATUSVAKT_MAIL_FROM ?? `Statusvakt <statusvakt@${host}>`, requireTls, maxConnections: env.STATUSVAKT_SMTP_MAX_CONNECTIONS });
}

/** Starts the outbox worker: SMTP when SMTP_URL is set, else it queues and says so once. */
export function startNotifications(args: { env: Env; db: Database; secret: string; logger: Logger; config: StatusvaktConfig }) {
  const { env } = args;
  const publicUrl = publicUrlOf(env);
  const host = new URL(publicUrl).hostname;
  const channel = mailChannelOf(env, args.logger);
  // twice as many sends in flight as connections: one is being written while the other waits for its reply
  return startOutboxWorker({ db: args.db, channel, links: { publicUrl, secret: args.secret, messageIdDomain: host }, logger: args.logger, concurrency: 2 * env.STATUSVAKT_SMTP_MAX_CONNECTIONS, webhooksAllowInternal: env.STATUSVAKT_WEBHOOKS_ALLOW_INTERNAL === 'true', routes: alertRoutesOf(args.config), readSecret: alertSecretReader() });
}
