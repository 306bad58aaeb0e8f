import { describe, expect, it } from 'vitest';
import { dropDeadLinks, fileOf, formsToLive, linksOf, relativiseLinks } from './export-site.ts';

describe('fileOf', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'index.html'],
    ['/en/sla/2026-11/', 'text/html', 'en/sla/2026-11/index.html'],
    ['/api/v2/summary.json', 'application/json', 'api/v2/summary.json'],
    // a JSON address that is also a folder (/api/v1/pages/{id}/status lives under it)
    ['/api/v1/pages', 'application/json', 'api/v1/pages/index.json'],
    ['/api/v1/pages/status/feeds/windows.ics', 'text/calendar', 'api/v1/pages/status/feeds/windows.ics'],
  ])('%s (%s) is written to %s', (path, type, file) => expect(fileOf(path, type)).toBe(file));
});

describe('relativiseLinks', () => {
  it('makes root-relative links relative to the page, keeping queries, fragments and other sites', () => {
    const html = '<a href="/">a</a><a href="/en/">b</a><a href="/pages/x/sla/2026-11/#t">c</a><a href="https://x.example/">d</a><a href="#main">e</a><a href="/api/v2/summary.json?lang=en">f</a>';
    expect(relativiseLinks(html, '/pages/x/en/')).toBe(
      '<a href="../../../">a</a><a href="../../../en/">b</a><a href="../sla/2026-11/#t">c</a><a href="https://x.example/">d</a><a href="#main">e</a><a href="../../../api/v2/summary.json?lang=en">f</a>',
    );
    expect(relativiseLinks('<a href="/">home</a><a href="/en/">en</a>', '/')).toBe('<a href="./">home</a><a href="en/">en</a>');
  });
});

describe('linksOf and dropDeadLinks', () => {
  const html = '<link rel="alternate" hreflang="en" href="/en/"><a href="sla/2026-11/">r</a><a href="/api/x?format=csv" download>csv</a><a href="mailto:a@b.dk">m</a>';
  it('finds the site addresses a page links to, without queries', () => {
    expect(linksOf(html, '/pages/p/')).toEqual(['/en/', '/pages/p/sla/2026-11/', '/api/x']);
  });
  it('removes the href of links the copy cannot answer and keeps the rest', () => {
    const kept = new Set(['/en/', '/pages/p/sla/2026-11/']);
    expect(dropDeadLinks(html, '/pages/p/', (path) => kept.has(path))).toBe(
      '<link rel="alternate" hreflang="en" href="/en/"><a href="sla/2026-11/">r</a><a download>csv</a><a href="mailto:a@b.dk">m</a>',
    );
  });
});

describe('formsToLive', () => {
  const html =
    '<main><h1>Status</h1><section class="subscribe-compact" aria-labelledby="h"><h2 id="h">Subscribe</h2><form method="post" action="/api/v1/pages/p/subscriptions"><input name="email"><button>Go</button></form></section>' +
    '<form method="get" action="https://search.example/"><input name="q"></form></main>';
  it('sends the posts of a copy to the live site when it is known', () => {
    expect(formsToLive(html, 'https://status.example.dk')).toContain('action="https://status.example.dk/api/v1/pages/p/subscriptions"');
  });
  it('leaves out a form that could only fail, with its section, and keeps forms to other sites', () => {
    const copy = formsToLive(html, undefined);
    expect(copy).not.toContain('<form method="post"');
    expect(copy).not.toContain('Subscribe');
    expect(copy).toContain('<h1>Status</h1>');
    expect(copy).toContain('action="https://search.example/"');
  });
});
