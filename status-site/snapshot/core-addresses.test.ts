import { describe, expect, it } from 'vitest';
import { componentPagesKept, coreAddresses, incidentLinksOf } from './core-addresses.ts';

const status = (id: string, components: { id: string; state: string }[]) => ({
  page: { id, defaultLanguage: 'da', languages: ['da', 'en'] },
  groups: [{ components }],
});

describe('the addresses kept ready', () => {
  it('keeps up to 50 component pages, fewer as a page grows', () => {
    expect([4, 20, 50, 60, 200, 1000, 5000].map(componentPagesKept)).toEqual([4, 20, 20, 16, 5, 1, 0]);
  });

  it('lists every view in every language, the JSON routes and the feeds, components not operational first', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, state: i === 150 ? 'down' : 'up' }));
    const pages: Record<string, unknown> = {
      '/api/v1/pages': { pages: [{ id: 'status', url: '/' }, { id: 'water', url: '/pages/water/' }] },
      '/api/v1/pages/status/status?days=1': status('status', [{ id: 'web', state: 'up' }]),
      '/api/v1/pages/water/status?days=1': status('water', many),
    };
    const keys = (await coreAddresses(async (path) => pages[path])).map((a) => `${a.source} ${a.key}`);
    for (const key of [
      'site /',
      'site /en/',
      'site /en/history/',
      'site /windows/',
      'site /en/accessibility/',
      'site /en/components/web/',
      'site /pages/water/en/',
      'site /pages/status/subscribe/',
      'site /pages/water/subscribe/en/',
      'api /api/v2/summary.json',
      'api /pages/water/api/v2/scheduled-maintenances.json?lang=en',
      'api /api/v1/pages/water/feeds/windows.ics?lang=en',
      'api /api/v1/pages/water/feeds/incidents.atom',
      'api /api/v1/pages/water/status',
      'embed /pages/status/badge.svg?lang=en',
      'embed /pages/water/widget/',
    ]) {
      expect(keys).toContain(key);
    }
    const waterComponents = keys.filter((k) => k.startsWith('site /pages/water/en/components/'));
    expect(waterComponents).toHaveLength(componentPagesKept(200));
    expect(waterComponents[0]).toBe('site /pages/water/en/components/c150/');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds the incident pages a front page links to', () => {
    const html = '<a href="/en/incidents/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/">x</a><a href="/en/history/">h</a>';
    expect(incidentLinksOf(html)).toEqual(['/en/incidents/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/']);
  });
});
