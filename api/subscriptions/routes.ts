import { randomBytes } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { tables } from '../../db/index.ts';
import { countAttempt } from '../auth/attempt-limit.ts';
import { CLIENT_ADDRESS_HEADER } from '../http/client-address.ts';
import { requireActor, type ActorEnv } from '../auth/require-actor.ts';
import type { AppContext } from '../http/context.ts';
import { documentRoute } from '../http/document-route.ts';
import { DomainError } from '../http/errors.ts';
import { manageFields, subscriptionPage, tokenForm } from './html.ts';
import { textsFor, type PageTexts } from './page-texts.ts';
import { readerLanguage } from './reader-language.ts';
import { deliveryProblems } from './delivery-problems.ts';
import { notificationStatus } from './notification-status.ts';
import { addressKey } from './tokens.ts';
import { addWebhook, listWebhooks, removeWebhook } from './webhook-service.ts';
import { confirmationAddress, confirmSubscription, GROUP_PREFIX, listSubscribers, requestSubscription, subscriptionByToken, unsubscribe, updateSubscription } from './subscription-service.ts';

const LANGUAGE_NAMES: Record<string, string> = { da: 'Dansk', nb: 'Norsk', sv: 'Svenska', it: 'Italiano', en: 'English' };
const HOUR_MS = 3_600_000;

/** `lang` is the language the link or form carries, for pages shown before the token is looked up; `language` is a chosen mail language. */
type Input = { token?: string; email?: string; language?: string; lang?: string; components: string[] };

/** Reads JSON or a plain HTML form (application/x-www-form-urlencoded), so the flows work without JavaScript. */
async function readInput(c: Context): Promise<{ input: Input; form: boolean }> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await c.req.json().catch(() => { throw new DomainError('VALIDATION', 'the body is not valid JSON'); })) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const components = Array.isArray(body.components) ? body.components.filter((x): x is string => typeof x === 'string') : [];
    return { input: { token: str(body.token) ?? c.req.query('token'), email: str(body.email), language: str(body.language), lang: str(body.lang) ?? c.req.query('lang'), components }, form: false };
  }
  const body = await c.req.parseBody({ all: true });
  const one = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
  const many = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  return { input: { token: one(body.token) ?? c.req.query('token'), email: one(body.email), language: one(body.language), lang: one(body.lang) ?? c.req.query('lang'), components: many(body.components) }, form: true };
}

// the HTTP server sets this header from the socket, or from a trusted proxy's X-Forwarded-For
/** The language of a page shown before (or without) a subscriber: the link's, else the browser's. */
const languageOf = (c: Context, carried?: string) => readerLanguage({ carried: carried ?? c.req.query('lang'), acceptLanguage: c.req.header('accept-language') });

const clientAddress = (c: Context) => c.req.header(CLIENT_ADDRESS_HEADER) ?? (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';

/**
 * Public subscription flows (double opt-in, manage, RFC 8058 one-click
 * unsubscribe) and the operators' subscriber list. Each public route answers
 * JSON to JSON and a small HTML page to a form.
 */
export function subscriptionRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<ActorEnv>();
  const { db } = ctx.database;
  const now = ctx.now;
  const secret = ctx.linkSecret ?? randomBytes(32).toString('base64url');
  // every attempt counts, in PostgreSQL so replicas share the counts: a flood of confirmation mails to one address is what this stops
  // e-mail addresses are keyed by their HMAC (`addressKey`), never kept in the counters in plain text
  const LIMITS = { subscribeByAddress: 20, subscribeByEmail: 3, confirmByAddress: 30, confirmByEmail: 10 } as const;

  const problem = (c: Context, form: boolean, language: string, error: unknown, pageId?: string) => {
    if (!form || !(error instanceof DomainError)) throw error;
    const t = textsFor(language);
    const key = `problem_${(error.details as { problem?: string } | undefined)?.problem ?? (error.code === 'RATE_LIMITED' ? 'rate_limited' : '')}` as keyof PageTexts;
    const status = error.code === 'RATE_LIMITED' ? 429 : error.code === 'NOT_FOUND' ? 404 : 400;
    return c.html(subscriptionPage({ language, heading: t.problemHeading, paragraphs: [t[key] ?? error.message], pageId, status: 'problem' }), status);
  };
  const limit = async (c: Context, name: keyof typeof LIMITS, key: string) => {
    const wait = await countAttempt(db, { key: `${name}:${key}`, limit: LIMITS[name], windowMs: HOUR_MS, now: now() });
    if (wait === 0) return;
    // clients and proxies read when to try again from the header, not from the message; the 429 (JSON or form page) keeps it
    c.header('retry-after', String(wait));
    throw new DomainError('RATE_LIMITED', `too many attempts; try again in ${wait} s`);
  };
  const pageOf = async (pageId: string) => {
    const [page] = await db.select().from(tables.statusPages).where(and(eq(tables.statusPages.id, pageId), isNull(tables.statusPages.retiredAt)));
    return page;
  };

  app.post('/api/v1/pages/:pageId/subscriptions', async (c) => {
    const pageId = c.req.param('pageId');
    const { input, form } = await readInput(c);
    const page = await pageOf(pageId);
    const language = input.language && page?.languages.includes(input.language) ? input.language : (page?.defaultLanguage ?? 'en');
    try {
      await limit(c, 'subscribeByAddress', clientAddress(c));
      await limit(c, 'subscribeByEmail', `${pageId}:${addressKey(secret, input.email ?? '')}`);
      await requestSubscription(db, { pageId, email: input.email ?? '', ...(input.language ? { language: input.language } : {}), componentIds: input.components, secret, now: now() });
    } catch (error) {
      return problem(c, form, language, error, page?.id);
    }
    const t = textsFor(language);
    // the same answer for a new, a pending and a confirmed address
    if (form) return c.html(subscriptionPage({ language, heading: t.sentHeading, paragraphs: [t.sentText], pageId, status: 'ok' }), 202);
    return c.json({ status: 'confirmation_requested', message: 'if the address can receive mail, a confirmation link is on its way; nothing is sent before it is used' }, 202);
  });

  app.get('/api/v1/subscriptions/confirm', async (c) => {
    const language = languageOf(c);
    const t = textsFor(language);
    return c.html(subscriptionPage({ language, heading: t.confirmHeading, form: tokenForm({ action: '/api/v1/subscriptions/confirm', token: c.req.query('token') ?? '', button: t.confirmButton, language }) }));
  });
  app.post('/api/v1/subscriptions/confirm', async (c) => {
    const { input, form } = await readInput(c);
    try {
      await limit(c, 'confirmByAddress', clientAddress(c));
      // per address too, so tries spread over many client addresses still stop; an unknown token names no address
      const address = await confirmationAddress(db, input.token ?? '');
      if (address) await limit(c, 'confirmByEmail', addressKey(secret, address));
      const confirmed = await confirmSubscription(db, { token: input.token ?? '', now: now() });
      const t = textsFor(confirmed.language);
      if (form) return c.html(subscriptionPage({ language: confirmed.language, heading: t.confirmedHeading, paragraphs: [t.confirmedText], pageId: confirmed.pageId, status: 'ok' }));
      return c.json({ status: 'confirmed', pageId: confirmed.pageId }, 200);
    } catch (error) {
      return problem(c, form, languageOf(c, input.lang), error);
    }
  });

  const manageView = async (token: string, saved: boolean) => {
    const subscriber = await subscriptionByToken(db, token);
    const page = await pageOf(subscriber.pageId);
    const components = await db
      .select({ id: tables.components.id, name: tables.components.name, groupId: tables.components.groupId })
      .from(tables.components)
      .innerJoin(tables.componentGroups, eq(tables.componentGroups.id, tables.components.groupId))
      .where(and(eq(tables.componentGroups.pageId, subscriber.pageId), isNull(tables.components.retiredAt)))
      .orderBy(tables.components.position);
    const groups = await db.select().from(tables.componentGroups).where(and(eq(tables.componentGroups.pageId, subscriber.pageId), isNull(tables.componentGroups.retiredAt))).orderBy(tables.componentGroups.position);
    const t = textsFor(subscriber.language);
    const name = (text: unknown) => localize(text as LocalizedText, subscriber.language as Language, page?.defaultLanguage as Language);
    const fields = manageFields({
      language: subscriber.language,
      languages: (page?.languages ?? [subscriber.language]).map((code) => ({ code, name: LANGUAGE_NAMES[code] ?? code })),
      groups: groups.map((g) => ({
        id: g.id,
        name: name(g.name),
        followed: subscriber.componentIds.includes(`${GROUP_PREFIX}${g.id}`),
        components: components.filter((x) => x.groupId === g.id).map((x) => ({ id: x.id, name: name(x.name), followed: subscriber.componentIds.includes(x.id) })),
      })),
    });
    return subscriptionPage({
      language: subscriber.language,
      heading: t.manageHeading,
      paragraphs: [subscriber.email, ...(saved ? [t.manageSaved] : [])],
      form: tokenForm({ action: '/api/v1/subscriptions/manage', token, button: t.manageSave, fields, language: subscriber.language }) + tokenForm({ action: '/api/v1/subscriptions/unsubscribe', token, button: t.unsubscribeButton, language: subscriber.language }),
      pageId: subscriber.pageId,
    });
  };
  app.get('/api/v1/subscriptions/manage', async (c) => {
    try {
      return c.html(await manageView(c.req.query('token') ?? '', false));
    } catch (error) {
      return problem(c, true, languageOf(c), error);
    }
  });
  app.post('/api/v1/subscriptions/manage', async (c) => {
    const { input, form } = await readInput(c);
    try {
      const updated = await updateSubscription(db, { token: input.token ?? '', ...(input.language ? { language: input.language } : {}), componentIds: input.components });
      if (form) return c.html(await manageView(input.token ?? '', true));
      return c.json({ pageId: updated.pageId, language: updated.language, componentIds: updated.componentIds }, 200);
    } catch (error) {
      return problem(c, form, languageOf(c, input.lang), error);
    }
  });

  app.get('/api/v1/subscriptions/unsubscribe', async (c) => {
    const language = languageOf(c);
    const t = textsFor(language);
    return c.html(subscriptionPage({ language, heading: t.unsubscribeHeading, form: tokenForm({ action: '/api/v1/subscriptions/unsubscribe', token: c.req.query('token') ?? '', button: t.unsubscribeButton, language }) }));
  });
  // RFC 8058: a mail client POSTs `List-Unsubscribe=One-Click` to the URL in the header, token in the query
  app.post('/api/v1/subscriptions/unsubscribe', async (c) => {
    const { input, form } = await readInput(c);
    const gone = await unsubscribe(db, { token: input.token ?? '' });
    if (gone) ctx.logger.info({ page: gone.pageId }, 'subscriber unsubscribed and deleted');
    const language = gone?.language ?? languageOf(c, input.lang);
    const t = textsFor(language);
    if (form) return c.html(subscriptionPage({ language, heading: t.unsubscribedHeading, paragraphs: [t.unsubscribedText], pageId: gone?.pageId, status: 'ok' }));
    return c.json({ status: 'unsubscribed' }, 200);
  });

  app.use('/api/v1/pages/:pageId/subscribers', requireActor({ db, now, role: 'operator', scope: 'read' }));
  app.use('/api/v1/pages/:pageId/subscribers.csv', requireActor({ db, now, role: 'operator', scope: 'read' }));
  app.get('/api/v1/pages/:pageId/subscribers', async (c) => {
    const list = await listSubscribers(db, { pageId: c.req.param('pageId'), actor: c.get('actor') });
    return c.json({ pageId: list.pageId, counts: list.counts, subscribers: list.subscribers.map((s) => ({ ...s, status: s.bouncedAt ? 'bounced' : s.confirmedAt ? 'confirmed' : 'pending' })) }, 200);
  });
  app.get('/api/v1/pages/:pageId/subscribers.csv', async (c) => {
    const list = await listSubscribers(db, { pageId: c.req.param('pageId'), actor: c.get('actor') });
    const iso = (d: Date | null) => d?.toISOString() ?? '';
    const csv = stringify([
      ['email', 'status', 'language', 'components', 'created_at', 'confirmed_at', 'bounced_at', 'bounce_reason'],
      ...list.subscribers.map((s) => [s.email, s.bouncedAt ? 'bounced' : s.confirmedAt ? 'confirmed' : 'pending', s.language, s.componentIds.join(' ') || 'all', iso(s.createdAt), iso(s.confirmedAt), iso(s.bouncedAt), s.bounceReason ?? '']),
    ]);
    c.header('content-disposition', `attachment; filename="subscribers-${list.pageId}.csv"`);
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  app.use('/api/v1/pages/:pageId/webhooks', requireActor({ db, now, role: 'operator', scope: 'incidents:write' }));
  app.use('/api/v1/pages/:pageId/webhooks/*', requireActor({ db, now, role: 'operator', scope: 'incidents:write' }));
  app.post('/api/v1/pages/:pageId/webhooks', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { url?: unknown; components?: unknown };
    if (typeof body.url !== 'string') throw new DomainError('VALIDATION', 'give the webhook as {"url": "https://…", "components": [ids]}');
    const components = Array.isArray(body.components) ? body.components.filter((x): x is string => typeof x === 'string') : [];
    return c.json(await addWebhook(db, { pageId: c.req.param('pageId'), url: body.url, componentIds: components, allowInternal: ctx.webhooksAllowInternal === true, actor: c.get('actor'), now: now() }), 201);
  });
  app.get('/api/v1/pages/:pageId/webhooks', async (c) => c.json({ webhooks: await listWebhooks(db, { pageId: c.req.param('pageId'), actor: c.get('actor') }) }, 200));
  app.delete('/api/v1/pages/:pageId/webhooks/:id', async (c) => {
    await removeWebhook(db, { pageId: c.req.param('pageId'), id: c.req.param('id'), actor: c.get('actor'), now: now() });
    return c.body(null, 204);
  });
  app.use('/api/v1/pages/:pageId/notifications', requireActor({ db, now, role: 'operator', scope: 'read' }));
  app.get('/api/v1/pages/:pageId/notifications', async (c) => c.json(await notificationStatus(db, { pageId: c.req.param('pageId'), actor: c.get('actor') }), 200));
  app.use('/api/v1/notifications/problems', requireActor({ db, now, role: 'operator', scope: 'read' }));
  app.get('/api/v1/notifications/problems', async (c) => c.json(await deliveryProblems(db, { actor: c.get('actor'), mailConfigured: ctx.mailConfigured ?? null }), 200));
  const tags = ['subscriptions'];
  const html = { description: 'A page for the reader', type: 'text/html' };
  documentRoute(app, { method: 'post', path: '/api/v1/pages/{pageId}/subscriptions', tags, summary: 'Ask for a subscription (JSON or an HTML form: email, components[], language); the answer is the same whether or not the address is known', responses: { 202: { description: 'A confirmation mail is queued (or nothing, if confirmed already)' }, 400: { description: 'Unusable address, component or language' }, 429: { description: 'Too many attempts' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/subscriptions/confirm', tags, summary: 'The confirm page: a button that POSTs the token', responses: { 200: html } });
  documentRoute(app, { method: 'post', path: '/api/v1/subscriptions/confirm', tags, summary: 'Confirm a subscription with its single-use token', responses: { 200: { description: 'Confirmed' }, 404: { description: 'Unknown, used or expired token' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/subscriptions/manage', tags, summary: 'The manage page: components and language', responses: { 200: html, 404: { description: 'Unknown token' } } });
  documentRoute(app, { method: 'post', path: '/api/v1/subscriptions/manage', tags, summary: 'Change components and language', responses: { 200: { description: 'Saved' }, 404: { description: 'Unknown token' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/subscriptions/unsubscribe', tags, summary: 'The unsubscribe page: a button that POSTs the token', responses: { 200: html } });
  documentRoute(app, { method: 'post', path: '/api/v1/subscriptions/unsubscribe', tags, summary: 'Unsubscribe and delete the address at once (RFC 8058 one-click POST)', responses: { 200: { description: 'Unsubscribed' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/subscribers', tags: ['operators'], secured: true, summary: "A page's subscribers: counts (total, confirmed, pending, bounced) and the list", responses: { 200: { description: 'Subscribers' }, 401: { description: 'Not logged in' }, 403: { description: 'Not allowed' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/subscribers.csv', tags: ['operators'], secured: true, summary: "A page's subscribers as CSV", responses: { 200: { description: 'CSV', type: 'text/csv' }, 401: { description: 'Not logged in' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/notifications/problems', tags: ['operators'], secured: true, summary: "What the outbox could not deliver for your organisations: messages queued, messages failed for good with their reason, bounced addresses, and whether SMTP is configured", responses: { 200: { description: 'Delivery problems' }, 401: { description: 'Not logged in' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/notifications', tags: ['operators'], secured: true, summary: "The page's outbox: messages pending, sent and failed, and the latest permanent failures with their reasons", responses: { 200: { description: 'Outbox state' }, 401: { description: 'Not logged in' } } });
  documentRoute(app, { method: 'post', path: '/api/v1/pages/{pageId}/webhooks', tags: ['operators'], secured: true, summary: 'Add a webhook subscriber (https, public address; components: ids of the page\'s components or groups, none for all); the signing secret is returned once', responses: { 201: { description: 'Added' }, 400: { description: 'Refused URL, or a component or group the page does not have (named)' } } });
  documentRoute(app, { method: 'get', path: '/api/v1/pages/{pageId}/webhooks', tags: ['operators'], secured: true, summary: "A page's webhooks, with failures and why one was disabled", responses: { 200: { description: 'Webhooks' } } });
  documentRoute(app, { method: 'delete', path: '/api/v1/pages/{pageId}/webhooks/{id}', tags: ['operators'], secured: true, summary: 'Remove a webhook (and its queued deliveries)', responses: { 204: { description: 'Removed' }, 404: { description: 'Unknown webhook' } } });
  return app;
}
