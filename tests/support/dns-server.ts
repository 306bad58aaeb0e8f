import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

export type ZoneRecord =
  | { type: 'A' | 'AAAA' | 'CNAME'; name: string; data: string }
  | { type: 'MX'; name: string; data: { preference: number; exchange: string } }
  | { type: 'TXT'; name: string; data: string[] };

/**
 * A real DNS server over UDP on 127.0.0.1 (wire format by `dns-packet`),
 * authoritative for the records given: NXDOMAIN for names it does not know,
 * an empty answer (NODATA) for a known name without the type asked, and no
 * answer at all for names in `silentFor` (a resolver that takes the question
 * and never replies).
 */
export async function startDnsServer(records: readonly ZoneRecord[], options: { silentFor?: string[] } = {}) {
  const socket = createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (message, peer) => {
    const query = packet.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    questions.push(`${question.name} ${question.type}`);
    if (options.silentFor?.includes(question.name.toLowerCase())) return;
    const known = records.filter((r) => r.name.toLowerCase() === question.name.toLowerCase());
    const answers = known.filter((r) => r.type === question.type).map((r) => ({ type: r.type, name: r.name, ttl: 60, class: 'IN' as const, data: r.data }));
    const reply = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | (known.length === 0 ? 3 : 0), // RCODE 3: NXDOMAIN
      questions: query.questions,
      answers: answers as packet.Answer[],
    });
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  return { server: `127.0.0.1:${port}`, questions, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
