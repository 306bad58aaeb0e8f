import { createTransport } from 'nodemailer';
import type { MailChannel, OutgoingMail, SendOutcome } from './channel.ts';

export type SmtpSettings = {
  /** smtp://user:pass@host:587 (STARTTLS) or smtps://…:465 (TLS from the start). */
  url: string;
  /** The From address, e.g. `Statusvakt <status@kommune.dk>`. */
  from: string;
  /** Refuse to send unless the server offers STARTTLS. */
  requireTls: boolean;
  /** Open SMTP connections at most; each is reused for many messages. */
  maxConnections: number;
  /** Trust a private CA or a self-signed test server. */
  tlsRejectUnauthorized?: boolean;
  /** Gives up on a silent server after this long, so a dropped connection is a temporary failure, not a hang. */
  timeoutMs?: number;
};

/** Mail over SMTP with nodemailer: pooled connections, STARTTLS, auth from the URL. */
export function createSmtpChannel(settings: SmtpSettings): MailChannel {
  const timeout = settings.timeoutMs ?? 30_000;
  const transport = createTransport({
    url: settings.url,
    pool: true,
    maxConnections: settings.maxConnections,
    maxMessages: 1000,
    requireTLS: settings.requireTls,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized ?? true },
  } as Parameters<typeof createTransport>[0]);
  return {
    name: 'smtp',
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.messageId}>`, headers: mail.headers ?? {}, attachments: mail.attachments ?? [] });
        if (info.rejected.length > 0) return { ok: false, permanent: true, recipientRejected: true, reason: `recipient rejected: ${info.response}` };
        return { ok: true, response: info.response };
      } catch (error) {
        return classifySmtpError(error, mail.to);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * A 5xx reply to the message is permanent, anything else (a 4xx, a dropped
 * connection, a timeout, a TLS failure) is tried again. A relay that refuses
 * our login or our sender address refuses every message alike until its
 * settings are mended (SMTP_URL, STATUSVAKT_MAIL_FROM): that is tried again
 * too, with the reason, so mending them delivers what waited. Only a refusal
 * of this recipient's `RCPT TO`, or an address that cannot exist, says the
 * address is bad (nodemailer reports a refused `MAIL FROM` with the same
 * code, EENVELOPE, so the command decides).
 */
export function classifySmtpError(error: unknown, to?: string): SendOutcome & { ok: false } {
  const e = error as { responseCode?: number; code?: string; command?: string; message?: string; rejected?: string[] };
  const reason = `${e.code ?? 'ERROR'}${e.responseCode ? ` ${e.responseCode}` : ''}${e.command ? ` (${e.command})` : ''}: ${e.message ?? String(error)}`.slice(0, 500);
  if (e.code === 'EAUTH' || e.command === 'MAIL FROM' || e.command?.startsWith('AUTH')) {
    return { ok: false, permanent: false, recipientRejected: false, reason: `the mail server refuses our ${e.command === 'MAIL FROM' ? 'sender address (STATUSVAKT_MAIL_FROM)' : 'login (SMTP_URL)'}; kept and tried again: ${reason}`.slice(0, 500) };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    const recipientRefused = e.command === 'RCPT TO' && (to === undefined || (e.rejected ?? [to]).includes(to));
    return { ok: false, permanent: true, recipientRejected: recipientRefused, reason };
  }
  // refused before anything was sent: nodemailer's own check of the address (`Invalid recipient …`)
  if (e.code === 'EENVELOPE' && e.command === 'API' && /recipient/i.test(e.message ?? '')) return { ok: false, permanent: true, recipientRejected: true, reason };
  return { ok: false, permanent: false, recipientRejected: false, reason };
}
