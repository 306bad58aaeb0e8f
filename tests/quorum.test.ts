import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePending, ingestResults } from '../api/index.ts';
import { parseConfig } from '../config/index.ts';
import { syncConfig, tables } from '../db/index.ts';
import { createTestDatabase, DRIVERS, type TestDatabase } from './support/databases.ts';
import { result } from './support/fixtures.ts';

const NOW = new Date('2026-11-21T12:00:30Z');

/** Three regions; only north reports. Which components have a state depends on each one's quorum. */
function config(quorum: string) {
  const parsed = parseConfig(`
regions: [{ id: north }, { id: south }, { id: west }]
${quorum}
organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
          - { id: everywhere, name: Everywhere, checks: [{ kind: https, url: "https://a.example.dk/" }] }
          - { id: lenient, name: Lenient, minFreshRegions: 1, checks: [{ kind: https, url: "https://b.example.dk/" }] }
          - { id: north-only, name: North only, checks: [{ kind: https, url: "https://c.example.dk/", regions: [north] }] }
          - { id: two-regions, name: Two regions, checks: [{ kind: https, url: "https://d.example.dk/", regions: [north, south] }] }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

describe.each(DRIVERS)('the configured quorum in the evaluator on %s', (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await test?.drop();
  });

  const stateOf = async (componentId: string) =>
    (await test.handle.db.select().from(tables.stateIntervals).where(eq(tables.stateIntervals.componentId, componentId)).orderBy(tables.stateIntervals.startedAt)).at(-1)?.state;

  const northReports = async () => {
    const results = ['everywhere', 'lenient', 'north-only', 'two-regions'].map((componentId) => result({ componentId, regionId: 'north', startedAt: '2026-11-21T12:00:00Z' }));
    const outcome = await ingestResults(test.handle.db, { regionId: 'north', results, now: NOW });
    expect(outcome.rejected).toEqual([]);
    await evaluatePending(test.handle.db, NOW);
  };

  it('by default needs a majority of the regions that run the checks; a component may ask for fewer', async () => {
    await syncConfig(test.handle.db, config(''), NOW);
    await northReports();
    expect(await stateOf('everywhere')).toBe('unknown'); // 1 of 3: no majority of regions
    expect(await stateOf('lenient')).toBe('up'); // its own minimum of 1
    expect(await stateOf('north-only')).toBe('up'); // 1 of the 1 region that runs it
    expect(await stateOf('two-regions')).toBe('unknown'); // 1 of 2
  });

  it('takes the top-level minimum, capped at the regions that run the checks', async () => {
    await syncConfig(test.handle.db, config('quorum: { minFreshRegions: 1 }'), NOW);
    await test.handle.db.delete(tables.stateIntervals);
    await northReports();
    expect(await stateOf('everywhere')).toBe('up');
    expect(await stateOf('two-regions')).toBe('up');
  });
});
