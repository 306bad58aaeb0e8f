import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { SnapshotSource } from './snapshot-key.ts';
import type { Rendered } from './snapshot-store.ts';

/** What the exporter needs to know about one address: where it is rendered from. */
export type ExportRender = (source: SnapshotSource, path: string) => Promise<Rendered>;

export type ExportResult = { files: number; bytes: number; skipped: { path: string; status: number }[] };

/** A site stops being crawled past this many addresses (an SLA report's "previous" links reach back to the first month). */
const MAX_FILES = 20_000;

/**
 * The file an address is written to: a path ending in `/` (a page) becomes
 * `…/index.html`, and one with no extension (JSON such as `/api/v1/pages`,
 * which is also a folder) becomes `…/index.json`, so no address is both a
 * file and a folder.
 */
export function fileOf(path: string, contentType: string): string {
  const clean = path.replace(/^\/+/, '');
  if (clean === '' || clean.endsWith('/')) return `${clean}index.html`;
  if (posix.extname(clean) !== '') return clean;
  return `${clean}/${contentType.startsWith('text/html') ? 'index.html' : 'index.json'}`;
}

/** Root-relative links in `href`/`src` rewritten relative to the page, so the folder works under any prefix (`/status/`, an object store's path). */
export function relativiseLinks(html: string, pagePath: string): string {
  const from = pagePath.endsWith('/') ? pagePath : posix.dirname(pagePath) + '/';
  return html.replace(/\b(href|src)="(\/(?!\/)[^"]*)"/g, (_, attribute: string, target: string) => {
    const hashAt = target.search(/[?#]/);
    const path = hashAt === -1 ? target : target.slice(0, hashAt);
    const rest = hashAt === -1 ? '' : target.slice(hashAt);
    let relative = posix.relative(from, path) || '.';
    if (path.endsWith('/') && !relative.endsWith('/')) relative += '/';
    return `${attribute}="${relative}${rest}"`;
  });
}

/** The site-internal addresses an HTML page links to (without query or fragment). */
export function linksOf(html: string, pagePath: string): string[] {
  const found = new Set<string>();
  for (const [, raw] of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
    if (!raw || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//') || raw.startsWith('#')) continue;
    const url = new URL(raw.replaceAll('&amp;', '&'), `http://site${pagePath}`);
    found.add(decodeURI(url.pathname));
  }
  return [...found];
}

/**
 * Writes the public site into `dir` as static files: every address in
 * `seeds` and every site address their pages link to, rendered by the same
 * handlers the snapshots use. Addresses that answer anything but 200 are
 * listed in `skipped`, not written.
 */
export async function exportSite(args: {
  render: ExportRender;
  /** Says which addresses are exported and where they are rendered from; undefined leaves a link out (operator and live-only routes). */
  classify: (path: string) => SnapshotSource | undefined;
  seeds: readonly string[];
  dir: string;
  /** The site build's own static files (`dist/client`), copied as they are. */
  assetsDir?: string;
  /** Where the live site is published (`STATUSVAKT_PUBLIC_URL`): forms post there, since a copy of files cannot take a post. */
  liveOrigin?: string;
}): Promise<ExportResult> {
  const queue = [...new Set(args.seeds)];
  const seen = new Set(queue);
  const result: ExportResult = { files: 0, bytes: 0, skipped: [] };
  await mkdir(args.dir, { recursive: true });
  if (args.assetsDir && existsSync(args.assetsDir)) await cp(args.assetsDir, args.dir, { recursive: true });
  // HTML is written last, once every address is known: a link to one that could not be exported loses its href
  const pages = new Map<string, Buffer>();
  const exported = new Set<string>();
  while (queue.length > 0) {
    const path = queue.shift()!;
    const source = args.classify(path);
    if (!source) continue;
    const rendered = await args.render(source, path);
    if (rendered.status !== 200) {
      result.skipped.push({ path, status: rendered.status });
      continue;
    }
    exported.add(path);
    if (rendered.contentType.startsWith('text/html')) {
      pages.set(path, rendered.body);
      for (const link of linksOf(rendered.body.toString('utf8'), path)) {
        if (seen.has(link) || seen.size >= MAX_FILES) continue;
        seen.add(link);
        queue.push(link);
      }
      continue;
    }
    await write(fileOf(path, rendered.contentType), rendered.body);
  }
  for (const [path, body] of pages) {
    const html = dropDeadLinks(formsToLive(body.toString('utf8'), args.liveOrigin), path, (link) => exported.has(link) || existsSync(join(args.dir, link)));
    await write(fileOf(path, 'text/html'), Buffer.from(relativiseLinks(html, path)));
  }
  return result;

  async function write(name: string, body: Buffer) {
    const file = join(args.dir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
    result.files++;
    result.bytes += body.length;
  }
}

/** Removes the href of links to site addresses the copy does not hold (live-only routes, reports out of range), so none leads to a 404. */
export function dropDeadLinks(html: string, pagePath: string, exists: (path: string) => boolean): string {
  return html.replace(/<(a|link)\b([^>]*?)\shref="([^"]+)"/g, (whole, tag: string, before: string, raw: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//') || raw.startsWith('#')) return whole;
    const path = decodeURI(new URL(raw.replaceAll('&amp;', '&'), `http://site${pagePath}`).pathname);
    if (exists(path)) return whole;
    return `<${tag}${before}`;
  });
}

/**
 * A static copy cannot take a form's post (a plain web server answers 405 or
 * 501): each form posting to a site address is sent to the live site at
 * `liveOrigin` instead, or, when there is none, left out with the section
 * that holds it (the subscription form on the front page).
 */
export function formsToLive(html: string, liveOrigin: string | undefined): string {
  if (liveOrigin) return html.replace(/(<form\b[^>]*\saction=")(\/(?!\/)[^"]*")/g, (_, head: string, target: string) => `${head}${liveOrigin}${target}`);
  const withoutSections = html.replace(/<section\b[^>]*\bclass="subscribe-compact[^"]*"[^>]*>[\s\S]*?<\/section>/g, '');
  return withoutSections.replace(/<form\b[^>]*\saction="\/(?!\/)[^"]*"[^>]*>[\s\S]*?<\/form>/g, '');
}

/**
 * Exports into a fresh folder beside `dir` and then puts it in `dir`'s place,
 * so a web server reading `dir` never sees half a site: the old copy is
 * moved aside, the new one renamed in, the old one removed.
 */
export async function exportSiteAtomically(args: Parameters<typeof exportSite>[0]): Promise<ExportResult> {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const fresh = `${args.dir.replace(/\/+$/, '')}.exporting-${stamp}`;
  const old = `${args.dir.replace(/\/+$/, '')}.previous-${stamp}`;
  try {
    const result = await exportSite({ ...args, dir: fresh });
    const hadOld = existsSync(args.dir);
    if (hadOld) await rename(args.dir, old);
    await rename(fresh, args.dir);
    if (hadOld) await rm(old, { recursive: true, force: true });
    return result;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
