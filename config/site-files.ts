import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { IMAGE_CONTENT_TYPES, imageTypeOf, type ImageType } from './image-type.ts';
import type { StatusvaktConfig } from './schema.ts';

/** A logo or favicon as read when the config was loaded: checked once, then served from memory. */
export type SiteFile = { type: ImageType; contentType: string; bytes: Buffer };
/** The files the config names, by the path as written there. */
export type SiteFiles = ReadonlyMap<string, SiteFile>;

/** Large enough for any logo, small enough that every page view can carry it. */
export const MAX_SITE_FILE_BYTES = 256 * 1024;

const LOGO_TYPES: readonly ImageType[] = ['png', 'svg', 'webp', 'jpeg'];
const FAVICON_TYPES: readonly ImageType[] = ['png', 'svg', 'webp', 'jpeg', 'ico'];
const NAMES: Record<ImageType, string> = { png: 'PNG', svg: 'SVG', webp: 'WebP', jpeg: 'JPEG', ico: 'ICO' };

type Issue = { path: (string | number)[]; message: string };

/**
 * Reads every logo and favicon the config names (relative paths from
 * `baseDir`, the config file's folder) and refuses, with the config path
 * and the fix, a file that is missing, too large or not an image of an
 * allowed type, judged by its bytes.
 */
export async function loadSiteFiles(config: StatusvaktConfig, baseDir: string): Promise<{ files: Map<string, SiteFile>; issues: Issue[] }> {
  const files = new Map<string, SiteFile>();
  const issues: Issue[] = [];
  const owners = [
    ...config.organisations.map((o, i) => ({ branding: o.branding, path: ['organisations', i, 'branding'] })),
    ...config.pages.map((p, i) => ({ branding: p.branding, path: ['pages', i, 'branding'] })),
  ];
  for (const { branding, path } of owners) {
    if (branding?.logo) await check(branding.logo.file, [...path, 'logo', 'file'], 'logo', LOGO_TYPES);
    if (branding?.favicon) await check(branding.favicon, [...path, 'favicon'], 'favicon', FAVICON_TYPES);
  }
  return { files, issues };

  async function check(file: string, path: (string | number)[], what: 'logo' | 'favicon', allowed: readonly ImageType[]) {
    const full = isAbsolute(file) ? file : resolve(baseDir, file);
    const kinds = allowed.map((t) => NAMES[t]).join(', ');
    try {
      const size = (await stat(full)).size;
      if (size > MAX_SITE_FILE_BYTES) {
        issues.push({ path, message: `${full} is ${Math.ceil(size / 1024)} KB; a ${what} may be at most ${MAX_SITE_FILE_BYTES / 1024} KB: scale it down, or save it as SVG or WebP` });
        return;
      }
      const bytes = await readFile(full);
      const type = imageTypeOf(bytes);
      if (!type || !allowed.includes(type)) {
        const found = type ? `an image of type ${NAMES[type]}` : 'not an image';
        issues.push({ path, message: `${full} is ${found}; a ${what} must be one of ${kinds} (judged by the file's content, not its name): export it in one of those formats` });
        return;
      }
      files.set(file, { type, contentType: IMAGE_CONTENT_TYPES[type], bytes });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(error);
      issues.push({ path, message: `cannot read the ${what} ${full}: ${why}; put the file there or fix the path (relative to the config file's folder)` });
    }
  }
}
