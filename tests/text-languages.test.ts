import { XMLParser } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createUser, type App } from '../api/index.ts';
import { syncConfig } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { testConfig } from './support/fixtures.ts';

const PASSWORD = 'correct horse battery staple';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
type Json = any;

/**
 * Operator texts written in some of a page's languages (Danish the default,
 * English the other): every public route says which language it shows, and a
 * text missing in the reader's language comes in Danish, marked as Danish.
 */
describe.each(DRIVERS)('texts in every page language, and the fallback marked, on %s', (driver) => {
  let test: TestDatabase;
  let app: App;
  const clock = new Date('2026-04-01T08:00:00Z');
  let auth: Record<string, string>;
  let bothId: string;
  let danishOnlyId: string;
  let windowId: string;

  const request = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(`http://status.test${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const get = async (path: string) => (await app.request(`http://status.test${path}`)).text();

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, testConfig(), new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(test.handle.db, { email: 'op@kommune.example', name: 'Op', role: 'operator', password: PASSWORD });
    const login = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password: PASSWORD }) });
    auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };

    const both = await request('POST', '/api/v1/incidents', { pageId: 'status', title: { da: 'Login er langsomt', en: 'Login is slow' }, priority: 'C', componentIds: ['sso'] });
    expect(both.status).toBe(201);
    bothId = both.body.id;
    const published = await request('POST', `/api/v1/incidents/${bothId}/updates`, { expectedVersion: 1, step: 'nature', body: { da: 'Årsagen er fundet; løst {estimate}.', en: 'The cause is found; fixed {estimate}.' }, estimatedFixAt: '2026-04-01T10:00:00Z' });
    expect(published.status).toBe(201);
    // the English field left empty: left out, not stored as an empty text
    const danishOnly = await request('POST', '/api/v1/incidents', { pageId: 'status', title: { da: 'Portalen er nede', en: '  ' }, priority: 'C', componentIds: ['portal'] });
    expect(danishOnly.status).toBe(201);
    danishOnlyId = danishOnly.body.id;
    expect((await request('POST', `/api/v1/incidents/${danishOnlyId}/updates`, { expectedVersion: 1, step: 'nature', body: { da: 'Vi genstarter portalen.', en: '' } })).status).toBe(201);

    const window = await request('POST', '/api/v1/windows', { componentIds: ['sso'], title: { da: 'Opgradering af login', en: 'Sign-in upgrade' }, description: { da: 'Login er væk i ti minutter.', en: '' }, plannedStart: '2026-04-20T04:00:00Z', plannedEnd: '2026-04-20T06:00:00Z' });
    expect(window.status).toBe(201);
    windowId = window.body.window.id;
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('stores only the languages written, and fills {estimate} in each text\'s own language', async () => {
    const view = (await request('GET', `/api/v1/incidents/${danishOnlyId}`)).body;
    expect(view.incident.title).toEqual({ da: 'Portalen er nede' });
    expect(view.updates[0].body).toEqual({ da: 'Vi genstarter portalen.' });
    // the console is told the page's languages, default first, and each step's template to start from
    expect(view.languages).toEqual(['da', 'en']);
    expect(view.templates.status_estimate.en).toBe('We are still working on the problem with Portal. Expected fix: {estimate}.');
    const fixed = (await request('GET', `/api/v1/incidents/${bothId}`)).body.updates[0].body;
    expect(fixed.en).toBe('The cause is found; fixed 1 Apr 2026, 12:00.');
    expect(fixed.da).toBe('Årsagen er fundet; løst 1. apr. 2026, 12.00.');
  });

  it('refuses a language the page does not offer, and a title written in no language, naming what is wrong', async () => {
    const german = await request('POST', '/api/v1/windows', { componentIds: ['sso'], title: { da: 'Opgradering', de: 'Aktualisierung' }, plannedStart: '2026-04-21T04:00:00Z', plannedEnd: '2026-04-21T05:00:00Z' });
    expect(german.status).toBe(400);
    expect(german.body.error.message).toBe('title: no page here offers de; write it in da, en');
    const empty = await request('POST', '/api/v1/incidents', { pageId: 'status', title: { da: ' ', en: ' ' }, priority: 'C', componentIds: ['sso'] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('title: write it in at least one language (da, en)');
  });

  it('Statuspage JSON keeps its shape and says the language of every text', async () => {
    const english = JSON.parse(await get('/api/v2/incidents.json?lang=en')) as Json;
    const shown = english.incidents.find((i: Json) => i.id === bothId);
    expect(shown).toMatchObject({ name: 'Login is slow', language: 'en', status: 'identified' });
    expect(shown.incident_updates[0]).toMatchObject({ body: 'The cause is found; fixed 1 Apr 2026, 12:00.', language: 'en', status: 'identified' });
    const fallback = english.incidents.find((i: Json) => i.id === danishOnlyId);
    expect(fallback).toMatchObject({ name: 'Portalen er nede', language: 'da' });
    expect(fallback.incident_updates[0]).toMatchObject({ body: 'Vi genstarter portalen.', language: 'da' });
    const danish = JSON.parse(await get('/api/v2/incidents.json?lang=da')) as Json;
    expect(danish.incidents.find((i: Json) => i.id === bothId)).toMatchObject({ name: 'Login er langsomt', language: 'da' });

    const maintenances = JSON.parse(await get('/api/v2/scheduled-maintenances.json?lang=en')) as Json;
    const window = maintenances.scheduled_maintenances.find((w: Json) => w.id === windowId);
    expect(window).toMatchObject({ name: 'Sign-in upgrade', language: 'en', status: 'scheduled', scheduled_for: '2026-04-20T04:00:00.000Z' });
    // the description is the maintenance's announcement, in Danish only: marked as Danish
    expect(window.incident_updates).toHaveLength(1);
    expect(window.incident_updates[0]).toMatchObject({ status: 'scheduled', body: 'Login er væk i ti minutter.', language: 'da' });
  });

  it('our own JSON gives each text with its language, the window description included', async () => {
    const windows = JSON.parse(await get('/api/v1/pages/status/windows?lang=en')) as Json;
    const window = windows.upcoming.find((w: Json) => w.id === windowId);
    expect(window.title).toEqual({ text: 'Sign-in upgrade', language: 'en' });
    expect(window.description).toEqual({ text: 'Login er væk i ti minutter.', language: 'da' });
    const incident = JSON.parse(await get(`/api/v1/pages/status/incidents/${danishOnlyId}?lang=en`)) as Json;
    expect(incident.title).toEqual({ text: 'Portalen er nede', language: 'da' });
    expect(incident.updates[0].body).toEqual({ text: 'Vi genstarter portalen.', language: 'da' });
  });

  it('RSS and Atom, parsed back, mark each entry shown in Danish on the English feed', async () => {
    const items = [xml.parse(await get('/api/v1/pages/status/feeds/incidents.rss?lang=en')).rss.channel.item].flat() as Json[];
    expect(items.map((i) => i.title).sort()).toEqual(['Login is slow', 'Portalen er nede [da]', 'Sign-in upgrade']);
    expect(items.find((i) => i.title === 'Portalen er nede [da]').description).toBe('identified: Vi genstarter portalen. [da]');
    expect(items.find((i) => i.title === 'Sign-in upgrade').description).toContain('Login er væk i ti minutter. [da]');
    const feed = xml.parse(await get('/api/v1/pages/status/feeds/incidents.atom?lang=en')).feed;
    expect(feed['@xml:lang']).toBe('en');
    const entries = [feed.entry].flat() as Json[];
    const titleOf = (e: Json) => (typeof e.title === 'string' ? e.title : e.title['#text']);
    expect(entries.find((e) => titleOf(e) === 'Portalen er nede [da]')['@xml:lang']).toBe('da');
    expect(entries.find((e) => titleOf(e) === 'Login is slow')['@xml:lang']).toBeUndefined();
    // the Danish feed has nothing to mark
    const danish = [xml.parse(await get('/api/v1/pages/status/feeds/incidents.rss?lang=da')).rss.channel.item].flat() as Json[];
    expect(danish.map((i) => i.title).sort()).toEqual(['Login er langsomt', 'Opgradering af login', 'Portalen er nede']);
  });

  it('the calendar, parsed back, has the title and description in the asked language, the missing one marked', async () => {
    const event = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)).find((e) => e.uid.startsWith(windowId))!;
    const english = event(await get('/api/v1/pages/status/feeds/windows.ics?lang=en'));
    expect(english.summary).toBe('Sign-in upgrade');
    expect(english.description).toBe('Login er væk i ti minutter. [da]\n\nSingle sign-on');
    const danish = event(await get('/api/v1/pages/status/feeds/windows.ics?lang=da'));
    expect(danish.summary).toBe('Opgradering af login');
    expect(danish.description).toBe('Login er væk i ti minutter.\n\nFælles login');
  });
});
