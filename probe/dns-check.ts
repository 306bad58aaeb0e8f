import { lookup, Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { DnsCheck } from '../config/index.ts';
import { humanText, PHASE_TEXT } from './classify-error.ts';
import type { CheckResult, FailureReason } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { withDeadline } from './socket-steps.ts';

/**
 * Looks a name up and compares the answers with the records expected. Without
 * `server`, A and AAAA go through the system resolver as every program on the
 * host does (so /etc/hosts counts); other types, and every type with `server`,
 * ask a DNS server directly. Timed as `dns`. Never throws.
 */
export async function runDnsCheck(check: DnsCheck, target: CheckTarget, options: Pick<HttpsCheckOptions, 'now' | 'newId'> = {}): Promise<CheckResult> {
  const startedAt = (options.now ?? (() => new Date()))();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
  const finish = (result: Omit<CheckResult, keyof typeof base | 'durationMs' | 'phasesMs'>): CheckResult => {
    const durationMs = performance.now() - t0;
    return { ...base, ...result, durationMs, phasesMs: { dns: durationMs } };
  };
  const resolver = new Resolver({ timeout: check.timeoutMs, tries: 1 });
  try {
    if (check.server) resolver.setServers([check.server]);
    const answers = await withDeadline(ask(check, resolver), deadline.signal, () => resolver.cancel());
    const have = new Set(answers.map(normalise));
    const missing = check.expected.filter((want) => !have.has(normalise(want)) && !(check.recordType === 'MX' && answers.some((a) => normalise(a).split(' ')[1] === normalise(want))));
    if (missing.length > 0) {
      return finish({ outcome: 'down', reason: 'dns', message: `${check.name} ${check.recordType} is ${list(answers)}; expected ${list(missing)} among the answers` });
    }
    return finish({ outcome: 'up' });
  } catch (error) {
    if (deadline.signal.aborted) return finish({ outcome: 'down', reason: 'timeout', message: `no answer within ${check.timeoutMs} ms ${PHASE_TEXT.dns}` });
    const { reason, message } = describe(error, check);
    return finish({ outcome: 'down', reason, message });
  } finally {
    clearTimeout(timer);
  }
}

/** The answers as text: addresses, "10 mx.example.dk", the TXT strings joined, the CNAME target. */
async function ask(check: DnsCheck, resolver: Resolver): Promise<string[]> {
  switch (check.recordType) {
    case 'A':
    case 'AAAA':
      if (!check.server) return (await lookup(check.name, { all: true, family: check.recordType === 'A' ? 4 : 6 })).map((a) => a.address);
      return check.recordType === 'A' ? resolver.resolve4(check.name) : resolver.resolve6(check.name);
    case 'MX':
      return (await resolver.resolveMx(check.name)).sort((a, b) => a.priority - b.priority).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(check.name)).map((chunks) => chunks.join(''));
    case 'CNAME':
      return resolver.resolveCname(check.name);
  }
}

/** Names compare without case and trailing dot; addresses as written (an IPv6 address in its canonical form). */
function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\.$/, '');
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v.slice(0, 100)));
  return values.length > 5 ? `${shown.join(', ')} and ${values.length - 5} more` : shown.join(', ') || 'nothing';
}

function describe(error: unknown, check: DnsCheck): { reason: FailureReason; message: string } {
  const code = (error as { code?: unknown }).code;
  const what = `${check.name} ${check.recordType}`;
  const from = check.server ? ` from ${check.server}` : '';
  switch (code) {
    case 'ENOTFOUND':
      return { reason: 'dns', message: `${check.name} does not exist (NXDOMAIN)${from}` };
    case 'ENODATA':
      return { reason: 'dns', message: `${check.name} has no ${check.recordType} record${from}` };
    case 'ESERVFAIL':
      return { reason: 'dns', message: `the DNS server failed to answer for ${what} (SERVFAIL)${from}` };
    case 'EREFUSED':
      return { reason: 'dns', message: `the DNS server refused to answer for ${what}${from}` };
    case 'ETIMEOUT':
    case 'EAI_AGAIN':
      return { reason: 'timeout', message: `no answer ${PHASE_TEXT.dns} for ${what}${from}` };
    case 'ECONNREFUSED':
      return { reason: 'dns', message: `the DNS server${from} refused the connection` };
    default:
      return { reason: 'dns', message: `the DNS lookup of ${what} failed${from}: ${humanText(error)}` };
  }
}
