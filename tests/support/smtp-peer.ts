import PostalMime from 'postal-mime';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type ReceivedMail = { messageId: string; to: string[]; subject: string; text: string; html: string; headers: Record<string, string>; raw: string };
/** What the peer answers to one message: accept, refuse with a code, or cut the connection half-way through DATA. */
export type Verdict = 'accept' | 'drop' | { code: number; message: string };

export type SmtpPeerOptions = {
  port?: number;
  /** The answer to `MAIL FROM`: null accepts the sender. */
  mailFrom?: (address: string) => { code: number; message: string } | null;
  rcpt?: (address: string) => { code: number; message: string } | null;
  data?: (to: string[], attempt: number) => Verdict;
  acceptDelayMs?: number;
  /** Offers STARTTLS with this certificate (plain SMTP on connect, as on port 587). */
  tls?: { certPem: string; keyPem: string };
  /** Requires a login with these credentials; anything else is refused with 535. */
  auth?: { user: string; password: string };
};

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that parses
 * what it accepts with a real MIME parser. Its answers are programmable per
 * recipient and per message, for the fault matrix.
 */
export async function startSmtpPeer(options: SmtpPeerOptions = {}) {
  const received: ReceivedMail[] = [];
  const attemptsByRecipient = new Map<string, number>();
  /** What the peer saw of each connection: whether it had switched to TLS and who logged in. */
  const sessions: { id: string; secure: boolean; user: string | undefined }[] = [];
  const server = new SMTPServer({
    authOptional: !options.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    // without a certificate there is no STARTTLS to offer; with one, AUTH is only allowed after it
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    allowInsecureAuth: !options.tls,
    ...(options.tls ? { secure: false, key: options.tls.keyPem, cert: options.tls.certPem } : {}),
    logger: false,
    closeTimeout: 100,
    onAuth(auth, session, callback) {
      const expected = options.auth;
      if (!expected || auth.username !== expected.user || auth.password !== expected.password) return callback(Object.assign(new Error('authentication credentials invalid'), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onMailFrom(address, session, callback) {
      sessions.push({ id: session.id, secure: session.secure, user: session.user as string | undefined });
      const refusal = options.mailFrom?.(address.address);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.rcpt?.(address.address);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const key = to.join(',');
      const attempt = (attemptsByRecipient.get(key) ?? 0) + 1;
      attemptsByRecipient.set(key, attempt);
      const verdict = options.data?.(to, attempt) ?? 'accept';
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (verdict === 'drop' && !dropped) {
          dropped = true;
          // cut the TCP connection in the middle of DATA: the client never hears a reply
          for (const connection of (server as unknown as { connections: Set<{ id: string; _socket: { destroy: () => void } }> }).connections) if (connection.id === session.id) connection._socket.destroy();
        }
      });
      stream.on('end', async () => {
        if (dropped) return;
        if (typeof verdict === 'object') return callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await PostalMime.parse(raw);
        const headers = Object.fromEntries(parsed.headers.map((h) => [h.key.toLowerCase(), h.value]));
        const accept = () => {
          received.push({ messageId: parsed.messageId ?? '', to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html ?? '', headers, raw });
          callback(null, 'queued');
        };
        if (options.acceptDelayMs) setTimeout(accept, options.acceptDelayMs);
        else accept();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    sessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpPeer = Awaited<ReturnType<typeof startSmtpPeer>>;
