/** One message for one recipient, ready to send; `messageId` is stable per outbox row. */
export type OutgoingMail = {
  to: string;
  /** Without angle brackets, e.g. `3f0c…@status.example`. */
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** Files sent with the mail (a report's CSV and statements). */
  attachments?: { filename: string; content: string; contentType: string }[];
};

/**
 * What a send came to. A failure is data: `permanent` stops the retries
 * (a 5xx reply, an address that cannot exist); otherwise it is tried again.
 * `recipientRejected` says the address itself is bad, so it is flagged bounced.
 */
export type SendOutcome = { ok: true; response: string } | { ok: false; permanent: boolean; recipientRejected: boolean; reason: string };

/** A way to deliver mail. Adding a channel touches one file and its test. */
export interface MailChannel {
  readonly name: string;
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): Promise<void>;
}
