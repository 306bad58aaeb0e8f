import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageTypeOf } from './image-type.ts';
import { loadConfigFile } from './load-config.ts';
import { MAX_SITE_FILE_BYTES } from './site-files.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(40)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([40, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(32)]);
const ICO = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0]);
const SVG = Buffer.from('<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>');

/** A config whose page names `logo` and `favicon` (paths relative to the config's folder), with the files in `files`. */
function configWith(files: Record<string, Buffer | string>, branding: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-branding-'));
  mkdirSync(join(dir, 'branding'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: Status
    branding:
${branding}
    groups:
      - id: core
        name: Core
        components:
          - id: web
            name: Web
            checks: [{ kind: https, url: "https://example.org/" }]
`,
  );
  return file;
}

describe('image types, judged by their bytes', () => {
  it.each([
    ['png', PNG],
    ['jpeg', JPEG],
    ['webp', WEBP],
    ['ico', ICO],
    ['svg', SVG],
    ['svg', Buffer.from('\uFEFF  <svg viewBox="0 0 1 1"></svg>')],
    ['svg', Buffer.from('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg></svg>')],
  ])('knows %s', (type, bytes) => {
    expect(imageTypeOf(bytes)).toBe(type);
  });

  it.each([
    ['HTML', Buffer.from('<!doctype html><html><svg></svg></html>')],
    ['text', Buffer.from('just text')],
    ['empty', Buffer.alloc(0)],
    ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00')],
    ['RIFF that is not WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')])],
    ['binary that is not UTF-8', Buffer.from([0x3c, 0x73, 0x76, 0x67, 0x20, 0xff, 0xfe])],
  ])('refuses %s', (_name, bytes) => {
    expect(imageTypeOf(bytes)).toBeUndefined();
  });
});

describe('logo and favicon files at config check', () => {
  it.each([
    ['branding/logo.png', PNG],
    ['branding/logo.svg', SVG],
    ['branding/logo.webp', WEBP],
    ['branding/logo.jpg', JPEG],
  ])('accepts %s and keeps its bytes', async (name, bytes) => {
    const file = configWith({ [name]: bytes, 'branding/icon.ico': ICO }, `      logo: { file: ${name}, alt: Kommune }\n      favicon: branding/icon.ico`);
    const result = await loadConfigFile(file);
    expect(result.ok && result.siteFiles.get(name)?.bytes.equals(bytes)).toBe(true);
    expect(result.ok && result.siteFiles.get('branding/icon.ico')?.contentType).toBe('image/x-icon');
  });

  it.each([
    ['a missing file', {}, 'branding/logo.png', /cannot read the logo .*branding\/logo\.png: no such file; put the file there or fix the path/],
    ['an HTML file named .png', { 'branding/logo.png': '<!doctype html><script>alert(1)</script>' }, 'branding/logo.png', /is not an image; a logo must be one of PNG, SVG, WebP, JPEG \(judged by the file's content, not its name\)/],
    ['an icon as a logo', { 'branding/logo.png': ICO }, 'branding/logo.png', /is an image of type ICO; a logo must be one of PNG, SVG, WebP, JPEG/],
    ['a file over the limit', { 'branding/logo.png': Buffer.concat([PNG, Buffer.alloc(MAX_SITE_FILE_BYTES)]) }, 'branding/logo.png', /is 257 KB; a logo may be at most 256 KB: scale it down/],
    ['a folder', {}, 'branding', /it is a folder/],
  ])('refuses %s with the config path, its line and the fix', async (_name, files, logo, message) => {
    const file = configWith(files, `      logo: { file: ${logo} }`);
    const result = await loadConfigFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path: 'pages.0.branding.logo.file', line: 7 });
    expect(result.issues[0]!.message).toMatch(message);
  });

  it('checks an organisation\'s favicon too, and reports every bad file at once', async () => {
    const dir = configWith({ 'branding/logo.png': 'not a picture' }, '      logo: { file: branding/logo.png }');
    const text = (await import('node:fs')).readFileSync(dir, 'utf8').replace('organisations: [{ id: kommune, name: Kommune }]', 'organisations: [{ id: kommune, name: Kommune, branding: { favicon: nowhere.ico } }]');
    writeFileSync(dir, text);
    const result = await loadConfigFile(dir);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['organisations.0.branding.favicon', 'pages.0.branding.logo.file']);
  });
});
