import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/run-cli.ts';

/** A page of `groups` × 25 components, none of them measured yet. */
function largeConfig(groups: number): string {
  const group = (g: number) =>
    `      - id: g${g}
        name: { da: Gruppe ${g}, en: Group ${g} }
        components:
${Array.from({ length: 25 }, (_, i) => `          - { id: c${g * 25 + i}, name: { da: Tjeneste ${g * 25 + i}, en: Service ${g * 25 + i} }, slaProfile: basic, checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 300 }] }`).join('\n')}`;
  return `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
${Array.from({ length: groups }, (_, g) => group(g)).join('\n')}
`;
}

describe('a page of 1,000 components', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'statusvakt-large-'));
    writeFileSync(join(dir, 'config.yaml'), largeConfig(40));
    server = await startServer(['serve', '--config', join(dir, 'config.yaml')], { STATUSVAKT_DATA_DIR: join(dir, 'data') });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('is summarised per group in well under 2 MB, and a view is served from its snapshot in under 200 ms', async () => {
    await expect.poll(async () => (await fetch(`${server.url}/en/`)).headers.get('etag'), { timeout: 30_000 }).toBeTruthy();
    // once the addresses kept ready have been rendered at start (a component page of this page takes about a second)
    await expect.poll(() => server.output(), { timeout: 60_000 }).toMatch(/public pages rendered and kept ready/);
    const started = performance.now();
    const response = await fetch(`${server.url}/en/`, { headers: { 'accept-encoding': 'identity' } });
    const html = await response.text();
    const elapsedMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(elapsedMs).toBeLessThan(200);
    // every group says how many of its components are operational; nothing measured yet, so each is listed on one line
    expect(html.match(/0 of 25 operational/g)?.length).toBe(40);
    expect(html.match(/<li class="line"/g)?.length).toBe(1000);
    expect(html).not.toContain('class="bar"');
    // the API still gives the full 90 days to whoever asks, or fewer on request
    const oneDay = (await (await fetch(`${server.url}/api/v1/pages/status/status?days=1`)).json()) as { groups: { components: { uptimeDays: unknown[] }[] }[] };
    expect(oneDay.groups[0]!.components[0]!.uptimeDays).toHaveLength(1);
    expect((await fetch(`${server.url}/api/v1/pages/status/status?days=91`)).status).toBe(400);
    const listing = (await (await fetch(`${server.url}/api/v1/pages`)).json()) as { pages: { components: number }[] };
    expect(listing.pages[0]!.components).toBe(1000);
  }, 60_000);

  it('has an SLA report of every component in under 2 MB, served from its snapshot in under 200 ms', async () => {
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const path = `${server.url}/en/sla/${month}/`;
    await expect.poll(async () => (await fetch(path)).headers.get('etag'), { timeout: 60_000 }).toBeTruthy();
    const started = performance.now();
    const response = await fetch(path, { headers: { 'accept-encoding': 'identity' } });
    const html = await response.text();
    const elapsedMs = performance.now() - started;
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(elapsedMs).toBeLessThan(200);
    expect(html.match(/Service 999</g)?.length).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
