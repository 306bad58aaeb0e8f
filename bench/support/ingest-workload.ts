import { createHash } from 'node:crypto';
import type { CheckResult } from '../../probe/index.ts';

/** A config of one page with `components` components, each with one HTTPS check, run from `regions`. */
export function benchConfigText(args: { components: number; regions?: readonly string[]; intervalSeconds?: number }): string {
  const interval = args.intervalSeconds ? `, intervalSeconds: ${args.intervalSeconds}` : '';
  return `
regions: [${(args.regions ?? ['north']).map((id) => `{ id: ${id} }`).join(', ')}]
organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
${Array.from({ length: args.components }, (_, i) => `          - { id: c${i}, name: C${i}, checks: [{ kind: https, url: "https://c${i}.example.dk/"${interval} }] }`).join('\n')}
`;
}

/**
 * `count` results from region north, the components in turn every 30 s from `startMs`, about one in 97
 * down, each with its phases and its component's own certificate, as an HTTPS check reports them.
 */
export function resultsWithCertificates(args: { count: number; components: number; startMs: number }): CheckResult[] {
  return Array.from({ length: args.count }, (_, i) => {
    const component = `c${i % args.components}`;
    const down = i % 97 === 0;
    return {
      id: crypto.randomUUID(),
      componentId: component,
      checkId: 'https',
      regionId: 'north',
      startedAt: new Date(args.startMs + Math.floor(i / args.components) * 30_000).toISOString(),
      outcome: down ? 'down' : 'up',
      ...(down ? { reason: 'timeout' } : { httpStatus: 200 }),
      durationMs: 100 + (i % 50),
      phasesMs: { dns: 1.2, connect: 2.3, tls: 8.1, firstByte: 40.2, transfer: 0.4 },
      certificate: {
        subject: `CN=${component}.example.dk`,
        issuer: 'CN=Example Issuing CA 2026, O=Example Trust, C=DK',
        subjectAltNames: [`DNS:${component}.example.dk`, `DNS:www.${component}.example.dk`],
        notBefore: '2026-09-01T00:00:00.000Z',
        notAfter: '2027-09-01T00:00:00.000Z',
        sha256Fingerprint: createHash('sha256').update(component).digest('hex').toUpperCase().match(/../g)!.join(':'),
        chainVerified: true,
      },
    };
  });
}
