import { describe, expect, it } from 'vitest';
import { routeForHost } from './host-pages.ts';

const pageOfHost = new Map([['skole.kommune.dk', 'skole']]);

describe('routeForHost', () => {
  it.each([
    ['skole.kommune.dk', '/', '/pages/skole/'],
    ['SKOLE.kommune.dk:8443', '/en/', '/pages/skole/en/'],
    ['skole.kommune.dk.', '/sla/2026-11/', '/pages/skole/sla/2026-11/'],
    ['skole.kommune.dk', '/da/sla/2026-T1/', '/pages/skole/da/sla/2026-T1/'],
    ['skole.kommune.dk', '/api/v2/summary.json?lang=en', '/pages/skole/api/v2/summary.json?lang=en'],
    ['skole.kommune.dk', '/?lang=en', '/pages/skole/?lang=en'],
  ])('on %s, %s stands for %s', (host, url, expected) => {
    expect(routeForHost({ host, url, pageOfHost })).toBe(expected);
  });

  it.each([
    ['status.kommune.dk', '/'],
    [undefined, '/'],
    ['skole.kommune.dk', '/pages/status/'],
    ['skole.kommune.dk', '/console/'],
    ['skole.kommune.dk', '/api/v1/incidents'],
    ['skole.kommune.dk', '/readyz'],
    ['skole.kommune.dk', '/xx/'],
  ])('on %s, %s is left as it is', (host, url) => {
    expect(routeForHost({ host, url, pageOfHost })).toBeUndefined();
  });
});
