import type { Socket } from 'node:net';
import type { FailureReason } from './contract.ts';

/** An SMTP server that answered, but not as a STARTTLS check needs; `reason` is from the fixed vocabulary. */
export class SmtpDialogueError extends Error {
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

type Reply = { code: number; lines: string[] };

/** A greeting or EHLO answer is a few hundred bytes; more is not an SMTP server talking. */
const MAX_DIALOGUE_BYTES = 64 * 1024;

/**
 * The SMTP dialogue up to the TLS handshake (RFC 3207): greeting 220, EHLO,
 * STARTTLS offered, STARTTLS answered 220. Afterwards the socket carries
 * nothing unread and no listener of ours, ready for `tls.connect`. Rejects with
 * an SmtpDialogueError when the server refuses, or the socket's error.
 */
export async function smtpStartTls(socket: Socket, options: { heloName: string }): Promise<void> {
  const replies = replyReader(socket);
  try {
    const greeting = await replies.next();
    if (greeting.code !== 220) throw new SmtpDialogueError('connect_refused', `the SMTP server refused the session: ${said(greeting)}`);
    socket.write(`EHLO ${options.heloName}\r\n`);
    const ehlo = await replies.next();
    if (ehlo.code !== 250) throw new SmtpDialogueError('tls_handshake', `the SMTP server refused EHLO: ${said(ehlo)}`);
    const extensions = ehlo.lines.slice(1).map((line) => line.split(' ')[0]!.toUpperCase());
    if (!extensions.includes('STARTTLS')) {
      throw new SmtpDialogueError('tls_handshake', `the SMTP server does not offer STARTTLS (it offers: ${extensions.join(', ') || 'no extensions'})`);
    }
    socket.write('STARTTLS\r\n');
    const ready = await replies.next();
    if (ready.code !== 220) throw new SmtpDialogueError('tls_handshake', `the SMTP server refused STARTTLS: ${said(ready)}`);
  } finally {
    replies.detach();
  }
}

function said(reply: Reply): string {
  return `${reply.code} ${reply.lines.join(' ')}`.trim().slice(0, 300);
}

/** Reads SMTP replies ("250-…" lines up to "250 …") off the socket, one at a time. */
function replyReader(socket: Socket) {
  let buffer = '';
  let bytes = 0;
  let lines: string[] = [];
  const ready: Reply[] = [];
  let failure: Error | undefined;
  let waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;

  const settle = () => {
    if (!waiting) return;
    const reply = ready.shift();
    if (reply) waiting.resolve(reply);
    else if (failure) waiting.reject(failure);
    else return;
    waiting = undefined;
  };
  const fail = (error: Error) => {
    failure ??= error;
    settle();
  };
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DIALOGUE_BYTES) return fail(new SmtpDialogueError('tls_handshake', `the server sent more than ${MAX_DIALOGUE_BYTES} bytes without finishing its SMTP reply`));
    buffer += chunk.toString('latin1');
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match) return fail(new SmtpDialogueError('tls_handshake', 'the server does not speak SMTP on this port'));
      lines.push(match[3]!);
      if (match[2] !== '-') {
        ready.push({ code: Number(match[1]), lines });
        lines = [];
      }
    }
    settle();
  };
  const onError = (error: Error) => fail(error);
  const onClose = () => fail(Object.assign(new Error('socket closed by peer'), { code: 'ECONNRESET' }));
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
  return {
    next: () =>
      new Promise<Reply>((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      }),
    detach: () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    },
  };
}
