import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { GraphCheck } from '../config/index.ts';
import { humanText } from './classify-error.ts';
import type { CheckResult, PhasesMs } from './contract.ts';
import { judgeServiceHealth, ServiceHealth } from './graph-health.ts';
import { jsonOf, retryAfterMs, sendToMicrosoft, type GraphFailure, type GraphStep } from './graph-request.ts';
import { requestGraphToken, type GraphCredentials, type GraphToken } from './graph-token.ts';
import type { CheckTarget } from './https-check.ts';

/** healthOverviews lists some thirty services; more pages than this is a loop, not a tenant. */
const MAX_PAGES = 20;

const HealthPage = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().nullish() });

type ReadOptions = {
  /** Reads an environment variable the check names (client id, client secret); undefined when unset. */
  readSecret: (name: string) => string | undefined;
  trustedCa?: string[] | undefined;
  now?: () => Date;
};

/**
 * Reads Microsoft 365 service health from Microsoft Graph for `graph`
 * checks. Tokens are kept per app and tenant until shortly before they
 * expire and renewed once when Graph refuses one (401); a 429 is honoured:
 * until its Retry-After has passed, reads of that app and tenant answer
 * `unknown` (throttled) without asking. Every read, token included, runs
 * under the check's `timeoutMs` and ends as a result, never an exception.
 */
export class GraphHealthReader {
  private readonly tokens = new Map<string, GraphToken>();
  private readonly throttledUntilMs = new Map<string, number>();
  private readonly readSecret: ReadOptions['readSecret'];
  private readonly trustedCa: string[] | undefined;
  private readonly now: () => Date;
  /** Requests made, for tests. */
  readonly requests = { token: 0, graph: 0 };

  constructor(options: ReadOptions) {
    this.readSecret = options.readSecret;
    this.trustedCa = options.trustedCa;
    this.now = options.now ?? (() => new Date());
  }

  async read(check: GraphCheck, target: CheckTarget): Promise<CheckResult> {
    const startedAt = this.now();
    const t0 = performance.now();
    const base = { id: crypto.randomUUID(), ...target, startedAt: startedAt.toISOString() };
    const credentials = this.credentialsOf(check);
    const secret = credentials.ok ? credentials.value.clientSecret : undefined;
    const fail = (failure: GraphFailure): CheckResult => ({
      ...base,
      outcome: 'unknown',
      reason: failure.reason,
      // whatever went wrong, the secret never travels in a result
      message: (secret ? failure.message.replaceAll(secret, '[client secret]') : failure.message).slice(0, 500),
      durationMs: performance.now() - t0,
      ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
      ...(failure.phasesMs ? { phasesMs: failure.phasesMs } : {}),
    });
    if (!credentials.ok) return fail(credentials.failure);
    const key = `${check.authorityUrl}|${check.graphUrl}|${check.tenantId}|${credentials.value.clientId}`;
    const blockedUntilMs = this.throttledUntilMs.get(key);
    if (blockedUntilMs !== undefined && blockedUntilMs > startedAt.getTime()) {
      return fail({ reason: 'throttled', message: `Microsoft Graph throttled this app; next read after ${new Date(blockedUntilMs).toISOString()}` });
    }
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), check.timeoutMs);
    try {
      let read = await this.readServices(check, key, credentials.value, deadline.signal);
      // a cached token Graph no longer takes (revoked, clock skew) is renewed once
      if (!read.ok && read.failure.httpStatus === 401 && read.failure.fromCache) {
        this.tokens.delete(key);
        read = await this.readServices(check, key, credentials.value, deadline.signal);
      }
      if (!read.ok) {
        if (read.failure.retryAfterMs !== undefined) this.throttledUntilMs.set(key, this.now().getTime() + read.failure.retryAfterMs);
        return fail(read.failure);
      }
      this.throttledUntilMs.delete(key);
      const judged = judgeServiceHealth({ services: read.value, service: check.service, features: check.features });
      const durationMs = performance.now() - t0;
      if (!judged.found) return fail({ reason: 'upstream_unreadable', message: judged.message, httpStatus: 200, phasesMs: read.phasesMs });
      return { ...base, outcome: judged.outcome, ...(judged.reason ? { reason: judged.reason } : {}), ...(judged.message ? { message: judged.message.slice(0, 500) } : {}), durationMs, httpStatus: 200, phasesMs: read.phasesMs, notices: judged.notices };
    } catch (error) {
      return fail({ reason: 'probe_error', message: `the check failed inside the probe: ${humanText(error)}` });
    } finally {
      clearTimeout(timer);
    }
  }

  private credentialsOf(check: GraphCheck): GraphStep<GraphCredentials> {
    const clientId = this.readSecret(check.clientIdEnv)?.trim();
    const clientSecret = this.readSecret(check.clientSecretEnv);
    const missing = (name: string, what: string, field: string): GraphStep<GraphCredentials> => ({
      ok: false,
      failure: { reason: 'access_denied', message: `the environment variable ${name} is not set; set it to the app registration's ${what} (named by ${field} of this check) and restart the probe` },
    });
    if (!clientId) return missing(check.clientIdEnv, 'client id', 'clientIdEnv');
    if (!clientSecret) return missing(check.clientSecretEnv, 'client secret', 'clientSecretEnv');
    return { ok: true, value: { clientId, clientSecret }, phasesMs: {} };
  }

  /** Every page of healthOverviews with issues expanded, with a cached or new token. */
  private async readServices(check: GraphCheck, key: string, credentials: GraphCredentials, signal: AbortSignal): Promise<{ ok: true; value: ServiceHealth[]; phasesMs: PhasesMs } | { ok: false; failure: GraphFailure & { fromCache?: boolean } }> {
    let token = this.tokens.get(key);
    const fromCache = token !== undefined && token.expiresAtMs > this.now().getTime();
    if (!fromCache) {
      this.requests.token++;
      const got = await requestGraphToken({ check, credentials, signal, trustedCa: this.trustedCa, now: this.now() });
      if (!got.ok) return got;
      token = got.value;
      this.tokens.set(key, token);
    }
    const graph = new URL(check.graphUrl);
    let next: URL | undefined = new URL(`${graph.href.replace(/\/+$/, '')}/v1.0/admin/serviceAnnouncement/healthOverviews?$expand=issues`);
    const services: ServiceHealth[] = [];
    let phasesMs: PhasesMs = {};
    for (let page = 0; next; page++) {
      if (page === MAX_PAGES) return { ok: false, failure: { reason: 'upstream_unreadable', message: `Graph kept sending further pages of healthOverviews after ${MAX_PAGES}; stopped reading` } };
      this.requests.graph++;
      const sent = await sendToMicrosoft({ check, url: next, method: 'GET', headers: { authorization: `Bearer ${token!.accessToken}`, accept: 'application/json' }, signal, trustedCa: this.trustedCa, step: 'while reading service health' });
      if (!sent.ok) return sent;
      const { exchange } = sent;
      phasesMs = exchange.phases;
      const status = exchange.status;
      if (status === 401) return { ok: false, failure: { reason: 'access_denied', message: 'Graph refused the access token (HTTP 401)', httpStatus: 401, phasesMs, fromCache } };
      if (status === 403) {
        return { ok: false, failure: { reason: 'access_denied', message: 'Graph denied reading service health (HTTP 403); grant the app registration the application permission ServiceHealth.Read.All, with admin consent', httpStatus: 403, phasesMs } };
      }
      if (status === 429) {
        const waitMs = retryAfterMs(exchange.headers['retry-after'], this.now());
        return { ok: false, failure: { reason: 'throttled', message: `Microsoft Graph throttled this app (HTTP 429); next read in ${Math.ceil(waitMs / 1000)} s`, httpStatus: 429, phasesMs, retryAfterMs: waitMs } };
      }
      if (status !== 200) return { ok: false, failure: { reason: 'cloud_error', message: `Graph answered HTTP ${status} for service health`, httpStatus: status, phasesMs } };
      const parsed = HealthPage.safeParse(jsonOf(exchange));
      if (!parsed.success || exchange.truncated) {
        const cut = exchange.truncated ? ` (only the first ${check.maxBodyBytes} bytes were read: raise maxBodyBytes)` : '';
        return { ok: false, failure: { reason: 'upstream_unreadable', message: `Graph's answer is not a list of service health${cut}`, httpStatus: 200, phasesMs } };
      }
      services.push(
        ...parsed.data.value.flatMap((item) => {
          const service = ServiceHealth.safeParse(item);
          return service.success ? [service.data] : [];
        }),
      );
      const link = parsed.data['@odata.nextLink'];
      next = link ? new URL(link, graph) : undefined;
      // the token goes to Graph only, whatever a next link says
      if (next && next.origin !== graph.origin) return { ok: false, failure: { reason: 'upstream_unreadable', message: `Graph's next page link points to ${next.origin}, not ${graph.origin}; not followed` } };
    }
    return { ok: true, value: services, phasesMs };
  }
}
