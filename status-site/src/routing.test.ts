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
  ])('/%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it.each(['xx', 'pages', 'en/extra', 'sla/2026-13', 'sla/March', 'en/sla', 'pages/p/en/sla/2026-03/more'])('rejects /%s', (path) => {
    expect(parseRoute(path)).toBeUndefined();
  });

  it('writes paths without the default page and language', () => {
    const defaults = { pageId: 'status', language: 'da' };
    expect(pathOf({ view: 'status', pageId: 'status', language: 'da', period: undefined }, defaults)).toBe('/');
    expect(pathOf({ view: 'report', pageId: 'status', language: 'en', period: '2026-03' }, defaults)).toBe('/en/sla/2026-03/');
    expect(pathOf({ view: 'report', pageId: 'other', language: 'da', period: '2026' }, defaults)).toBe('/pages/other/sla/2026/');
  });
});
