import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestResults, type AlertPayload } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { aNotice, sourceRead } from './support/notice-fixtures.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

/** The third party shown by one organisation; a service of another organisation depends on it too. */
function config() {
  const parsed = parseConfig(`
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune }, { id: skole, name: Skole }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: g
        name: G
        components:
          - { id: exchange, name: Exchange Online, checks: [{ kind: statuspage, url: "https://status.example.com/api/v2/summary.json", component: Exchange }] }
          - { id: mail, name: Mail, dependsOn: [{ component: exchange, effect: degraded }] }
  - id: school
    organisation: skole
    name: School
    groups:
      - id: s
        name: S
        components:
          - { id: school-mail, name: School mail, dependsOn: [{ component: exchange, effect: down }] }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(DRIVERS)('operator alerts of a third-party notice on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
    await syncConfig(test.handle.db, config(), NOW);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('raises one alert per organisation whose components are concerned, and one subscriber event for every page', async () => {
    const outcome = await ingestResults(test.handle.db, { regionId: 'north', results: [sourceRead('2026-12-01T11:00:00Z', [aNotice()])], now: NOW });
    expect(outcome.rejected).toEqual([]);
    const events = await test.handle.db.select().from(tables.notificationEvents);
    const alerts = events.filter((e) => e.kind === 'operator_alert').map((e) => e.payload as AlertPayload);
    expect(alerts.map((a) => [a.organisationId, a.components.map((c) => c.id).sort()]).sort()).toEqual([
      ['kommune', ['exchange', 'mail']],
      ['skole', ['exchange', 'school-mail']],
    ]);
    expect(alerts.every((a) => a.event === 'third_party_notice' && a.detail.change === 'new' && a.detail.thirdParty === 'Exchange Online')).toBe(true);
    const told = events.filter((e) => e.kind === 'third_party_notice');
    expect(told).toHaveLength(1);
    expect([...told[0]!.pageIds].sort()).toEqual(['school', 'status']);
    expect(told[0]!.componentIds).toEqual(['exchange', 'mail', 'school-mail', 'group:g', 'group:s']);
  });
});
