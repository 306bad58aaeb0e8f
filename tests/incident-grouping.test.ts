import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, createUser, loadPageStatus, syncAutomaticIncidents, type App } from '../api/index.ts';
import { incidentFulfilment } from '../api/incidents/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables, type Database } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';

const PASSWORD = 'correct horse battery staple';
const CONFIG = `
organisations: [{ id: kommune, name: Kommune }, { id: region, name: Region }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
      - id: records
        name: { da: Sager, en: Records }
        components:
          - { id: esdh, name: { da: ESDH, en: Case records }, checks: [{ kind: https, url: "https://esdh.example.dk/" }] }
          - { id: archive, name: { da: Arkiv, en: Archive }, checks: [{ kind: https, url: "https://arkiv.example.dk/" }] }
      - id: office
        name: { da: Kontor, en: Office }
        components:
          - { id: mail, name: { da: Post, en: Mail }, checks: [{ kind: https, url: "https://mail.example.dk/" }] }
          - { id: calendar, name: { da: Kalender, en: Calendar }, checks: [{ kind: https, url: "https://cal.example.dk/" }] }
  - id: region
    organisation: region
    name: Region
    groups:
      - id: health
        name: Health
        components:
          - { id: journal, name: Journal, checks: [{ kind: https, url: "https://journal.example.dk/" }] }
`;

const at = (hhmmss: string) => new Date(`2026-03-20T${hhmmss}Z`);

describe.each(DRIVERS)('incidents as operators mean them, on %s', (driver) => {
  let test: TestDatabase;
  let db: Database;
  let app: App;
  let clock = at('09:00:00');
  const call = async (method: string, path: string, options: { body?: unknown; cookie?: string; csrf?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    const response = await app.request(`http://status.test${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const login = async (email: string) => {
    const response = await app.request('http://status.test/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(response.status).toBe(200);
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
  };
  /** The component's state from `time` on, as the evaluator would write it. */
  const state = async (componentId: string, s: 'up' | 'down' | 'degraded', time: string) => {
    await db.update(tables.stateIntervals).set({ endedAt: at(time) }).where(and(eq(tables.stateIntervals.componentId, componentId), isNull(tables.stateIntervals.endedAt)));
    await db.insert(tables.stateIntervals).values({ componentId, state: s, startedAt: at(time) });
  };
  const sync = (time: string, groupWithinMs?: number) => syncAutomaticIncidents(db, at(time), groupWithinMs === undefined ? {} : { groupWithinMs });
  const openIncidents = async () => (await db.select().from(tables.incidents).where(isNull(tables.incidents.resolvedAt))).sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime());
  const shown = async (componentId: string, time = clock) => {
    const status = await loadPageStatus(db, { pageId: 'status', now: time, days: 1 });
    return status!.groups.flatMap((g) => g.components).find((c) => c.id === componentId)!;
  };

  beforeAll(async () => {
    test = await createTestDatabase(driver);
    db = test.handle.db;
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await syncConfig(db, parsed.config, new Date('2026-01-01T00:00:00Z'));
    app = buildApp({ database: test.handle, now: () => clock, logger: pino({ level: 'silent' }) });
    await createUser(db, { email: 'operator@kommune.example', name: 'Operator', role: 'operator', password: PASSWORD, organisationIds: ['kommune'] });
    await createUser(db, { email: 'operator@region.example', name: 'Other', role: 'operator', password: PASSWORD, organisationIds: ['region'] });
  });
  afterAll(async () => {
    await test?.drop();
  });
  beforeEach(async () => {
    // every case starts from all components up and no incidents
    for (const table of [tables.componentStatusOverrides, tables.incidentUpdates, tables.notificationEvents, tables.outboxMessages, tables.serviceWindows, tables.stateIntervals]) await db.delete(table);
    await db.delete(tables.incidents);
    for (const id of ['esdh', 'archive', 'mail', 'calendar', 'journal']) await db.insert(tables.stateIntervals).values({ componentId: id, state: 'up', startedAt: at('08:00:00') });
    clock = at('09:00:00');
  });

  it('gives two unrelated failures a few minutes apart two incidents', async () => {
    await state('esdh', 'down', '09:00:00');
    await sync('09:00:05');
    await state('mail', 'down', '09:04:00');
    await sync('09:04:05');
    const open = await openIncidents();
    expect(open.map((i) => i.componentIds)).toEqual([['esdh'], ['mail']]);
    expect(open.map((i) => (i.title as Record<string, string>).da)).toEqual(['ESDH: utilgængelig', 'Post: utilgængelig']);
  });

  it('gives two components of one group failing together one incident, titled in every language', async () => {
    await state('esdh', 'down', '09:00:00');
    await state('archive', 'down', '09:00:10');
    await sync('09:00:15');
    const [incident, ...rest] = await openIncidents();
    expect(rest).toEqual([]);
    expect(incident!.componentIds).toEqual(['esdh', 'archive']);
    expect(incident!.title).toMatchObject({ da: 'ESDH og Arkiv: utilgængelig', en: 'Case records and Archive: unavailable', sv: 'ESDH och Arkiv: otillgänglig' });
  });

  it('joins failures of other groups only within the configured span', async () => {
    await state('esdh', 'down', '09:00:00');
    await state('mail', 'degraded', '09:01:00');
    await sync('09:01:05');
    expect((await openIncidents()).map((i) => i.componentIds)).toEqual([['esdh', 'mail']]);
    expect((await openIncidents())[0]!.title).toMatchObject({ en: 'Case records: unavailable; Mail: degraded' });

    await db.delete(tables.incidentUpdates);
    await db.delete(tables.incidents);
    await sync('09:01:10', 0); // span 0: only the group rule
    expect((await openIncidents()).map((i) => i.componentIds)).toEqual([['esdh'], ['mail']]);
  });

  it('keeps a component inside its active service window out, and gives it its own incident once the window overruns', async () => {
    await db.insert(tables.serviceWindows).values({ componentIds: ['mail'], title: 'Upgrade', plannedStart: at('08:30:00'), plannedEnd: at('09:30:00'), announcedAt: at('07:00:00'), createdBy: 'operator@kommune.example' });
    await state('esdh', 'down', '09:00:00');
    await state('mail', 'down', '09:00:30');
    await sync('09:00:35');
    expect((await openIncidents()).map((i) => i.componentIds)).toEqual([['esdh']]);
    await state('calendar', 'down', '09:10:00'); // same group as mail, but mail is not in any incident
    await sync('09:29:00');
    expect((await openIncidents()).map((i) => i.componentIds)).toEqual([['esdh'], ['calendar']]);

    await sync('09:30:05'); // the window overran: mail's failure began inside it and gets an incident of its own
    const open = await openIncidents();
    expect(open.map((i) => i.componentIds)).toEqual([['esdh'], ['mail'], ['calendar']]);
  });

  it('lets the title follow joins and recoveries until an operator writes it', async () => {
    await state('esdh', 'down', '09:00:00');
    await sync('09:00:05');
    await state('archive', 'degraded', '09:20:00'); // same group, long after
    await sync('09:20:05');
    let [incident] = await openIncidents();
    expect(incident!.title).toMatchObject({ en: 'Case records: unavailable; Archive: degraded' });
    await state('esdh', 'up', '09:25:00');
    await sync('09:25:05');
    [incident] = await openIncidents();
    expect(incident!.title).toMatchObject({ en: 'Archive: degraded', da: 'Arkiv: nedsat ydelse' });
    // nothing changed: nothing is written (the public pages refresh on every change)
    await sync('09:25:06');
    expect((await openIncidents())[0]!.updatedAt).toEqual(incident!.updatedAt);

    const operator = await login('operator@kommune.example');
    clock = at('09:26:00');
    const retitled = await call('POST', `/api/v1/incidents/${incident!.id}/title`, { ...operator, body: { title: { en: 'Records storage fault', da: 'Fejl i sagslageret' } } });
    expect(retitled.status).toBe(200);
    await state('esdh', 'down', '09:27:00');
    await sync('09:27:05');
    [incident] = await openIncidents();
    expect(incident!.componentIds).toEqual(['esdh', 'archive']);
    expect(incident!.title).toEqual({ en: 'Records storage fault', da: 'Fejl i sagslageret' });
    const audit = await db.select().from(tables.auditLog).where(eq(tables.auditLog.entityId, incident!.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['incident.open', 'incident.widen', 'incident.title_follows', 'incident.retitle']));
  });

  it('splits and merges incidents, audited, and refuses bad input with the reason', async () => {
    await state('esdh', 'down', '09:00:00');
    await state('archive', 'down', '09:00:00');
    await sync('09:00:05');
    const [incident] = await openIncidents();
    const operator = await login('operator@kommune.example');
    clock = at('09:05:00');

    const unknown = await call('POST', `/api/v1/incidents/${incident!.id}/split`, { ...operator, body: { componentIds: ['nope'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('not components of this incident: nope; it has esdh, archive');
    const all = await call('POST', `/api/v1/incidents/${incident!.id}/split`, { ...operator, body: { componentIds: ['esdh', 'archive'] } });
    expect(all.status).toBe(400);
    expect(all.body.error.message).toMatch(/leave at least one component/);
    const noCsrf = await call('POST', `/api/v1/incidents/${incident!.id}/split`, { cookie: operator.cookie, body: { componentIds: ['archive'] } });
    expect(noCsrf.status).toBe(403);
    const outsider = await call('POST', `/api/v1/incidents/${incident!.id}/split`, { ...(await login('operator@region.example')), body: { componentIds: ['archive'] } });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe('you may not act for organisation "kommune"');

    const split = await call('POST', `/api/v1/incidents/${incident!.id}/split`, { ...operator, body: { componentIds: ['archive'] } });
    expect(split.status).toBe(201);
    const created = split.body.created as { id: string; componentIds: string[]; title: Record<string, string> };
    expect(split.body.incident.componentIds).toEqual(['esdh']);
    expect(split.body.incident.title).toMatchObject({ en: 'Case records: unavailable' });
    expect(created).toMatchObject({ componentIds: ['archive'], title: { en: 'Archive: unavailable' } });
    expect(await db.select().from(tables.incidentUpdates).where(eq(tables.incidentUpdates.incidentId, created.id))).toEqual([]); // nothing of the past timeline
    expect((await db.select().from(tables.incidentUpdates).where(eq(tables.incidentUpdates.incidentId, incident!.id))).length).toBe(1);

    const itself = await call('POST', `/api/v1/incidents/${incident!.id}/merge`, { ...operator, body: { incidentId: incident!.id } });
    expect(itself.status).toBe(400);
    expect(itself.body.error.message).toBe('an incident cannot be merged into itself; choose another incident');
    const foreign = await call('POST', '/api/v1/incidents', { ...(await login('operator@region.example')), body: { pageId: 'region', title: 'Journal slow', priority: 'C', componentIds: ['journal'] } });
    const acrossOrganisations = await call('POST', `/api/v1/incidents/${incident!.id}/merge`, { ...operator, body: { incidentId: foreign.body.id } });
    expect(acrossOrganisations.status).toBe(403);
    expect(acrossOrganisations.body.error.message).toBe('you may not act for organisation "region"');

    await call('POST', `/api/v1/incidents/${created.id}/updates`, { ...operator, body: { expectedVersion: 1, step: 'registered' } });
    const merged = await call('POST', `/api/v1/incidents/${incident!.id}/merge`, { ...operator, body: { incidentId: created.id } });
    expect(merged.status).toBe(200);
    expect(merged.body.incident.componentIds).toEqual(['esdh', 'archive']);
    expect(merged.body.closed).toMatchObject({ mergedIntoId: incident!.id, status: 'resolved' });
    const view = await call('GET', `/api/v1/incidents/${incident!.id}`, operator);
    expect(view.body.updates).toHaveLength(2); // the other incident's update joined this one
    const again = await call('POST', `/api/v1/incidents/${incident!.id}/merge`, { ...operator, body: { incidentId: created.id } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`incident "${created.id}" was merged into "${incident!.id}"; change that one instead`);
    const kept = await incidentFulfilment(db, { pageId: 'status', from: at('00:00:00'), to: at('23:00:00'), now: clock });
    expect(kept.A.incidents).toBe(1); // the merged one counts in the incident it joined
    const publicList = await call('GET', '/api/v1/pages/status/incidents');
    expect(JSON.stringify(publicList.body)).not.toContain(created.id);

    const actions = (await db.select().from(tables.auditLog)).filter((a) => a.at >= at('09:05:00')).map((a) => `${a.action} ${a.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['incident.split operator@kommune.example', 'incident.merge operator@kommune.example', 'incident.merged_into operator@kommune.example']));
  });

  it('shows the worse of the measured and the declared status, and says which', async () => {
    const operator = await login('operator@kommune.example');
    expect((await shown('mail')).shown).toEqual({ status: 'operational', by: 'measured' });

    const opened = await call('POST', '/api/v1/incidents', { ...operator, body: { pageId: 'status', title: 'Mail responds slowly', priority: 'B', componentIds: ['mail'] } });
    expect(opened.status).toBe(201);
    expect((await shown('mail')).shown).toEqual({ status: 'degraded_performance', by: 'declared' });
    const published = await call('POST', `/api/v1/incidents/${opened.body.id}/updates`, { ...operator, body: { expectedVersion: 1, step: 'nature', impact: { mail: 'partial_outage' } } });
    expect(published.status).toBe(201);
    expect((await shown('mail')).shown).toEqual({ status: 'partial_outage', by: 'declared' });
    const stranger = await call('POST', `/api/v1/incidents/${opened.body.id}/updates`, { ...operator, body: { expectedVersion: 2, step: 'nature', impact: { esdh: 'major_outage' } } });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toBe('impact names components that are not in this incident: esdh; it has mail');

    const v2 = await call('GET', '/pages/status/api/v2/components.json');
    expect(v2.body.components.find((c: { id: string }) => c.id === 'mail')).toMatchObject({ status: 'partial_outage', status_source: 'declared' });
    expect(v2.body.components.find((c: { id: string }) => c.id === 'esdh')).toMatchObject({ status: 'operational', status_source: 'measured' });

    // measured worse than declared: the measurement shows
    await state('mail', 'down', '09:00:00');
    expect((await shown('mail')).shown).toEqual({ status: 'major_outage', by: 'measured' });
    // resolved: nothing declared any more
    await call('POST', `/api/v1/incidents/${opened.body.id}/updates`, { ...operator, body: { expectedVersion: 2, step: 'operation_normal' } });
    await state('mail', 'up', '09:00:30');
    expect((await shown('mail')).declared).toBeNull();
  });

  it('lets an operator set a status by hand that expires by itself, audited, and refuses bad input', async () => {
    const operator = await login('operator@kommune.example');
    const set = await call('POST', '/api/v1/component-status', { ...operator, body: { componentId: 'calendar', status: 'major_outage', expiresAt: '2026-03-20T11:00:00+01:00', note: 'sync with the phone system fails' } });
    expect(set.status).toBe(201);
    expect((await shown('calendar')).shown).toEqual({ status: 'major_outage', by: 'declared' });
    expect((await shown('calendar')).declared).toMatchObject({ source: 'manual', expiresAt: '2026-03-20T10:00:00.000Z' });
    expect((await loadPageStatus(db, { pageId: 'status', now: clock, days: 1 }))!.overall).toBe('major');
    expect((await shown('calendar', at('10:00:00'))).shown).toEqual({ status: 'operational', by: 'measured' }); // expired by itself

    const [entry] = await db.select().from(tables.auditLog).where(eq(tables.auditLog.action, 'component_status.set'));
    expect(entry).toMatchObject({ actor: 'operator@kommune.example', entityId: 'calendar', organisationId: 'kommune' });

    const list = await call('GET', '/api/v1/component-status', operator);
    expect(list.body.components.map((c: { id: string }) => c.id)).toEqual(['esdh', 'archive', 'mail', 'calendar']);
    const cleared = await call('POST', `/api/v1/component-status/${set.body.id}/clear`, operator);
    expect(cleared.status).toBe(200);
    expect((await shown('calendar')).shown.by).toBe('measured');

    const unknown = await call('POST', '/api/v1/component-status', { ...operator, body: { componentId: 'nope', status: 'major_outage', expiresAt: '2026-03-20T11:00:00Z' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^no component "nope"/);
    const past = await call('POST', '/api/v1/component-status', { ...operator, body: { componentId: 'mail', status: 'major_outage', expiresAt: '2026-03-20T08:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/has passed/);
    const zoneless = await call('POST', '/api/v1/component-status', { ...operator, body: { componentId: 'mail', status: 'major_outage', expiresAt: '2026-03-20T11:00:00' } });
    expect(zoneless.status).toBe(400);
    const foreign = await call('POST', '/api/v1/component-status', { ...operator, body: { componentId: 'journal', status: 'major_outage', expiresAt: '2026-03-20T11:00:00Z' } });
    expect(foreign.status).toBe(403);
    const noCsrf = await call('POST', '/api/v1/component-status', { cookie: operator.cookie, body: { componentId: 'mail', status: 'major_outage', expiresAt: '2026-03-20T11:00:00Z' } });
    expect(noCsrf.status).toBe(403);
  });
});
