import { z } from 'zod';
import type { GraphCheck } from '../config/index.ts';
import { jsonOf, retryAfterMs, sendToMicrosoft, type GraphStep } from './graph-request.ts';

export type GraphToken = { accessToken: string; expiresAtMs: number };
export type GraphCredentials = { clientId: string; clientSecret: string };

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const TokenError = z.object({ error: z.string().optional(), error_description: z.string().optional() }).loose();

/** A token is renewed this long before it expires, so a read never starts with one that runs out on the way. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * An app-only access token for Graph by the OAuth 2.0 client credentials
 * grant. A refusal (wrong secret, unknown client, a tenant that does not
 * know the app) is `access_denied` with Microsoft's AADSTS code and the
 * variable names to look at; the secret itself is never part of a message.
 */
export async function requestGraphToken(args: { check: GraphCheck; credentials: GraphCredentials; signal: AbortSignal; trustedCa: string[] | undefined; now: Date }): Promise<GraphStep<GraphToken>> {
  const { check, credentials } = args;
  const authority = check.authorityUrl.replace(/\/+$/, '');
  const url = new URL(`${authority}/${encodeURIComponent(check.tenantId)}/oauth2/v2.0/token`);
  const form = new URLSearchParams({
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    grant_type: 'client_credentials',
    // app-only tokens ask for the resource's ".default" scope: the permissions the admin granted
    scope: `${new URL(check.graphUrl).origin}/.default`,
  });
  const sent = await sendToMicrosoft({ check, url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString(), signal: args.signal, trustedCa: args.trustedCa, step: 'while getting a token' });
  if (!sent.ok) return sent;
  const { exchange } = sent;
  const phasesMs = exchange.phases;
  const scrub = (text: string) => text.replaceAll(credentials.clientSecret, '[client secret]');
  if (exchange.status === 200) {
    const answer = TokenAnswer.safeParse(jsonOf(exchange));
    if (!answer.success) return { ok: false, failure: { reason: 'upstream_unreadable', message: 'the token endpoint answered 200 without an access token', httpStatus: 200, phasesMs } };
    const lifetimeMs = answer.data.expires_in * 1000;
    // a short-lived token is renewed halfway instead, or it would never be reused
    const expiresAtMs = args.now.getTime() + Math.max(lifetimeMs / 2, lifetimeMs - RENEW_BEFORE_MS);
    return { ok: true, value: { accessToken: answer.data.access_token, expiresAtMs }, phasesMs };
  }
  if (exchange.status === 429) {
    const waitMs = retryAfterMs(exchange.headers['retry-after'], args.now);
    return { ok: false, failure: { reason: 'throttled', message: `the token endpoint throttled this app (HTTP 429); waiting ${Math.ceil(waitMs / 1000)} s`, httpStatus: 429, phasesMs, retryAfterMs: waitMs } };
  }
  const refusal = TokenError.safeParse(jsonOf(exchange));
  if ((exchange.status === 400 || exchange.status === 401) && refusal.success) {
    const code = /AADSTS\d+/.exec(refusal.data.error_description ?? '')?.[0];
    // the first sentence of Microsoft's description says what is wrong; the rest is trace ids and links
    const said = (refusal.data.error_description ?? '').replace(/^AADSTS\d+:\s*/, '').split(/(?<=\.)\s|\r?\n/)[0] ?? '';
    const what = [code, refusal.data.error, said].filter(Boolean).join(': ');
    return {
      ok: false,
      failure: {
        reason: 'access_denied',
        message: scrub(`Microsoft refused the app's credentials (${what}); check tenantId "${check.tenantId}" and the client id and secret in the environment variables ${check.clientIdEnv} and ${check.clientSecretEnv}`),
        httpStatus: exchange.status,
        phasesMs,
      },
    };
  }
  return { ok: false, failure: { reason: 'cloud_error', message: `the token endpoint answered HTTP ${exchange.status}`, httpStatus: exchange.status, phasesMs } };
}
