import { describe, expect, it } from 'vitest';
import { parseRoute, pathOf } from './routing.ts';

describe('site routes', () => {
  it.each([
    ['', { view: 'status', pageId: undefined, language: undefined, period: undefined }],
    ['en', { view: 'status', pageId: undefined, language: 'en', period: undefined }],
    ['pages/uni-login', { view: 'status', pageId: 'uni-login', language: undefined, period: undefined }],
    ['pages/uni-login/da', { view: 'status', pageId: 'uni-login', language: 'da', period: undefined }],
    ['sla/2026-03', { view: 'report', pageId: undefined, language: undefined, period: '2026-03' }],
    ['en/sla/2026-T2', { view: 'report', pageId: undefined, language: 'en', period: '2026-T2' }],
    ['pages/d-ikt/nb/sla/2026', { view: 'report', pageId: 'd-ikt', language: 'nb', period: '2026' }],
    ['pages/d-ikt/components/sso', { view: 'component', pageId: 'd-ikt', language: undefined, period: undefined, componentId: 'sso' }],
    ['it/windows', { view: 'windows', pageId: undefined, language: 'it', period: undefined }],
    ['pages/x/accessibility', { view: 'accessibility', pageId: 'x', language: undefined, period: undefined }],
    ['history', { view: 'history', pageId: undefined, language: undefined, period: undefined }],
    ['pages/d-ikt/en/history/3', { view: 'history', pageId: 'd-ikt', language: 'en', period: '3' }],
    ['history/12345', { view: 'history', pageId: undefined, language: undefined, period: '12345' }],
    ['sv/windows/2', { view: 'windows', pageId: undefined, language: 'sv', period: '2' }],
    ['en/windows/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', { view: 'window', pageId: undefined, language: 'en', period: undefined, windowId: '0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }],
    ['pages/d-ikt/components/sso/windows/2', { view: 'component', pageId: 'd-ikt', language: undefined, period: '2', componentId: 'sso' }],
    ['sv/incidents/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', { view: 'incident', pageId: undefined, language: 'sv', period: undefined, incidentId: '0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }],
  ])('/%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it.each(['xx', 'pages', 'en/extra', 'sla/2026-13', 'sla/March', 'en/sla', 'pages/p/en/sla/2026-03/more', 'history/1', 'history/0', 'history/x', 'incidents/42', 'incidents', 'components', 'components/Bad_Id', 'components/a/b', 'windows/2026-10', 'windows/1', 'windows/0', 'history/123456', 'windows/0b9e3f7a', 'components/sso/windows/1', 'components/sso/windows', 'components/sso/2'])('rejects /%s', (path) => {
    expect(parseRoute(path)).toBeUndefined();
  });

  it('writes paths without the default page and language', () => {
    const defaults = { pageId: 'status', language: 'da' };
    expect(pathOf({ view: 'status', pageId: 'status', language: 'da', period: undefined }, defaults)).toBe('/');
    expect(pathOf({ view: 'report', pageId: 'status', language: 'en', period: '2026-03' }, defaults)).toBe('/en/sla/2026-03/');
    expect(pathOf({ view: 'report', pageId: 'other', language: 'da', period: '2026' }, defaults)).toBe('/pages/other/sla/2026/');
    expect(pathOf({ view: 'history', pageId: 'status', language: 'en', period: '1' }, defaults)).toBe('/en/history/');
    expect(pathOf({ view: 'history', pageId: 'other', language: 'da', period: '2' }, defaults)).toBe('/pages/other/history/2/');
    expect(pathOf({ view: 'windows', pageId: 'status', language: 'en', period: '1' }, defaults)).toBe('/en/windows/');
    expect(pathOf({ view: 'windows', pageId: 'status', language: 'en', period: '3' }, defaults)).toBe('/en/windows/3/');
    expect(pathOf({ view: 'component', pageId: 'status', language: 'en', period: undefined, componentId: 'sso' }, defaults)).toBe('/en/components/sso/');
    expect(pathOf({ view: 'component', pageId: 'status', language: 'en', period: '2', componentId: 'sso' }, defaults)).toBe('/en/components/sso/windows/2/');
    expect(pathOf({ view: 'window', pageId: 'other', language: 'da', period: undefined, windowId: '0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }, defaults)).toBe('/pages/other/windows/0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/');
    const incidentId = '0b9e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(pathOf({ view: 'incident', pageId: 'status', language: 'da', period: undefined, incidentId }, defaults)).toBe(`/incidents/${incidentId}/`);
  });
});
