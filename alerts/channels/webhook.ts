import { createHmac } from 'node:crypto';
import { fetch as undiciFetch } from 'undici';
import { checkWebhookUrl, type Resolver } from '../../api/index.ts';
import type { SendOutcome } from './channel.ts';
import { pinnedAgent } from './pinned-agent.ts';

/** How a webhook call is made: whether internal addresses are allowed, and for tests a resolver and extra trusted CAs. */
export type PostOptions = { allowInternal: boolean; timeoutMs?: number; resolve?: Resolver; ca?: readonly string[] };

export type WebhookDelivery = { url: string; secret: string; deliveryId: string; body: string; at: Date };

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the receiver recomputes it with its secret and refuses old timestamps. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * POSTs a signed JSON body. 2xx: delivered. 408, 425, 429 and 5xx, timeouts
 * and refused connections: tried again. Other 4xx, a redirect, or an address
 * that has become internal: permanent. The name is resolved and checked
 * again before each call, and the call connects to the address checked, so
 * a name re-pointed inside (DNS rebinding) cannot be reached.
 */
export async function sendWebhook(delivery: WebhookDelivery, options: PostOptions): Promise<SendOutcome> {
  return postJson(delivery.url, delivery.body, { 'x-statusvakt-signature': signWebhook(delivery.secret, delivery.body, delivery.at), 'x-statusvakt-delivery': delivery.deliveryId }, options);
}

/** POSTs JSON to a URL checked as above and classifies the answer; shared by the signed webhooks and the Slack and Teams incoming webhooks. */
export async function postJson(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<SendOutcome> {
  const checked = await checkWebhookUrl(url, { allowInternal: options.allowInternal, ...(options.resolve ? { resolve: options.resolve } : {}) });
  if (!checked.ok) return { ok: false, permanent: true, recipientRejected: true, reason: `refused: ${checked.reason}` };
  const address = checked.addresses[0];
  const dispatcher = address ? pinnedAgent(address, { ca: options.ca }) : undefined;
  try {
    const response = await undiciFetch(checked.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: { 'content-type': 'application/json', 'user-agent': 'Statusvakt-Webhook', ...headers },
      body,
      ...(dispatcher ? { dispatcher } : {}),
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, response: String(response.status) };
    const temporary = response.status >= 500 || [408, 425, 429].includes(response.status);
    return { ok: false, permanent: !temporary, recipientRejected: !temporary, reason: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    const detail = cause?.message ? `${(error as Error).message}: ${cause.message}` : (error as Error).message;
    return { ok: false, permanent: false, recipientRejected: false, reason: `${(error as Error).name}: ${detail}`.slice(0, 500) };
  } finally {
    await dispatcher?.close().catch(() => undefined);
  }
}
