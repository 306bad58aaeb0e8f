import { describe, expect, it } from 'vitest';
import { snapshotKeyOf } from './snapshot-key.ts';

describe('snapshotKeyOf', () => {
  it.each([
    ['GET', '/', { source: 'site', key: '/' }],
    ['HEAD', '/en/', { source: 'site', key: '/en/' }],
    ['GET', '/pages/water/sv/sla/2026-10/', { source: 'site', key: '/pages/water/sv/sla/2026-10/' }],
    ['GET', '/en/?utm_source=mail&x=1', { source: 'site', key: '/en/' }],
    ['GET', '/api/v1/pages', { source: 'api', key: '/api/v1/pages' }],
    ['GET', '/api/v1/pages/status/status', { source: 'api', key: '/api/v1/pages/status/status' }],
    ['GET', '/api/v1/pages/status/components/sso/latency', { source: 'api', key: '/api/v1/pages/status/components/sso/latency' }],
    ['GET', '/api/v2/summary.json?lang=en', { source: 'api', key: '/api/v2/summary.json?lang=en' }],
    ['GET', '/api/v2/summary.json?lang=en&cache=123', { source: 'api', key: '/api/v2/summary.json?lang=en' }],
    ['GET', '/api/v1/pages/status/status?days=7&lang=da', { source: 'api', key: '/api/v1/pages/status/status?lang=da&days=7' }],
    ['GET', '/api/v2/incidents/unresolved.json', { source: 'api', key: '/api/v2/incidents/unresolved.json' }],
    ['GET', '/pages/water/api/v2/scheduled-maintenances/active.json', { source: 'api', key: '/pages/water/api/v2/scheduled-maintenances/active.json' }],
    ['GET', '/api/v1/pages/water/incidents?lang=sv', { source: 'api', key: '/api/v1/pages/water/incidents?lang=sv' }],
    ['GET', '/api/v1/pages/water/incidents/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', { source: 'api', key: '/api/v1/pages/water/incidents/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }],
    ['GET', '/pages/water/en/history/2/', { source: 'site', key: '/pages/water/en/history/2/' }],
    ['GET', '/api/v1/pages/water/history', { source: 'api', key: '/api/v1/pages/water/history' }],
    ['GET', '/api/v1/pages/water/history?page=1&lang=sv', { source: 'api', key: '/api/v1/pages/water/history?lang=sv' }],
    ['GET', '/api/v1/pages/water/history?page=3&days=7', { source: 'api', key: '/api/v1/pages/water/history?page=3' }],
    ['GET', '/api/v1/pages/water/windows?page=2&component=pump-1&lang=en&x=1', { source: 'api', key: '/api/v1/pages/water/windows?lang=en&component=pump-1&page=2' }],
    ['GET', '/api/v1/pages/water/windows/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b?lang=da', { source: 'api', key: '/api/v1/pages/water/windows/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b?lang=da' }],
    ['GET', '/pages/water/badge.svg?lang=en&style=x', { source: 'embed', key: '/pages/water/badge.svg?lang=en' }],
    ['GET', '/pages/water/components/pump-1/badge.svg', { source: 'embed', key: '/pages/water/components/pump-1/badge.svg' }],
    ['GET', '/api/v1/pages/water/feeds/incidents.rss', { source: 'api', key: '/api/v1/pages/water/feeds/incidents.rss' }],
    ['GET', '/api/v1/pages/water/feeds/incidents.atom?lang=sv&x=1', { source: 'api', key: '/api/v1/pages/water/feeds/incidents.atom?lang=sv' }],
    ['GET', '/api/v1/pages/water/feeds/windows.ics?component=pump-1&lang=en', { source: 'api', key: '/api/v1/pages/water/feeds/windows.ics?lang=en&component=pump-1' }],
  ])('%s %s is served from a snapshot', (method, url, expected) => {
    expect(snapshotKeyOf(method, url)).toEqual(expected);
  });

  it.each([
    ['POST', '/'],
    ['GET', '/console/'],
    ['GET', '/console/incidents/1'],
    ['GET', '/api/v1/incidents'],
    ['GET', '/api/v1/sla/pages/status/reports/2026-10'],
    ['GET', '/api/v1/audit'],
    ['GET', '/api/v2/unknown.json'],
    ['GET', '/api/v2/summary.json?lang=xx'],
    ['GET', '/api/v1/pages/status/status?days=91'],
    ['GET', '/api/v1/pages/status/status?days=07'],
    ['GET', '/api/v1/pages/water/feeds/incidents.rss?component=Not%20One'],
    ['GET', '/api/v1/pages/water/feeds/other.rss'],
    ['GET', '/api/v1/pages/water/history?page=0'],
    ['GET', '/api/v1/pages/water/history?page=02'],
    ['GET', '/api/v1/pages/water/history?page=100001'],
    ['GET', '/api/v1/pages/water/windows?component=Not_One'],
    ['GET', '/api/v1/pages/water/windows/42'],
    ['GET', '/api/v1/pages/water/history?lang=xx'],
    ['GET', '/readyz'],
    ['GET', '/metrics'],
    ['GET', '/_server-islands/x'],
    ['GET', '/%00/'],
    ['GET', `/${'a'.repeat(300)}/`],
    ['GET', '/a/../console/'],
  ])('%s %s goes to its handler', (method, url) => {
    expect(snapshotKeyOf(method, url)).toBeUndefined();
  });
});
