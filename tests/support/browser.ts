import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** Debian's Chromium, or the one CHROMIUM_PATH names; undefined skips the browser suites with the reason in their title. */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));

/** Headless flags for this machine: no sandbox as root, and no background traffic to hosts a closed network refuses. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** axe-core's own source, for pages that keep their CSP and run it through page.evaluate. */
export const axeSource = createRequire(import.meta.url)('axe-core').source as string;

/**
 * axe-core's WCAG 2.1 A/AA and best-practice violations on the page, as `id: help (count)`.
 * It is injected as an inline script, so such pages bypass the site's CSP; the console test keeps the CSP on and counts refusals.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
  });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}
