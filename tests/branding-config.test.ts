import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/run-cli.ts';

// the example config names its logo relative to its own folder; a copy elsewhere names it absolutely
const example = readFileSync(join(ROOT, 'config/statusvakt.example.yaml'), 'utf8');
const LOGO_LINE = 'logo: { file: branding/eksempel-kommune.svg';

function configWithLogo(logo: { name: string; body: Buffer | string }): { file: string; logo: string } {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-logo-'));
  writeFileSync(join(dir, logo.name), logo.body);
  const file = join(dir, 'config.yaml');
  expect(example).toContain(LOGO_LINE);
  writeFileSync(file, example.replace(LOGO_LINE, `logo: { file: ${logo.name}`));
  return { file, logo: join(dir, logo.name) };
}

describe('a logo that is not one', () => {
  it('is refused by check-config with the file, line, config path and the fix', async () => {
    const { file, logo } = configWithLogo({ name: 'logo.png', body: '<html><body>a web page saved as a picture</body></html>' });
    const { code, stderr } = await runCli(['check-config', file]);
    expect(code).toBe(1);
    const line = example.split('\n').findIndex((l) => l.includes(LOGO_LINE)) + 1;
    expect(stderr.trim().split('\n')).toEqual([
      `${file}:${line}  organisations.0.branding.logo.file  ${logo} is not an image; a logo must be one of PNG, SVG, WebP, JPEG (judged by the file's content, not its name): export it in one of those formats`,
      `1 problem in ${file}`,
    ]);
  });

  it('is refused when too large, and stops the server from starting', async () => {
    const big = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300 * 1024)]);
    const { file } = configWithLogo({ name: 'logo.png', body: big });
    const check = await runCli(['check-config', file]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/organisations\.0\.branding\.logo\.file  .*logo\.png is 301 KB; a logo may be at most 256 KB: scale it down, or save it as SVG or WebP/);
    const serve = await runCli(['serve', '--config', file], { STATUSVAKT_DATA_DIR: mkdtempSync(join(tmpdir(), 'statusvakt-logo-data-')) });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('is 301 KB; a logo may be at most 256 KB');
    expect(serve.stderr).toContain('fix the configuration above and start again');
  });

  it('is accepted when it is a real picture, whatever its name', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    const { file } = configWithLogo({ name: 'logo.bin', body: png });
    const { code, stdout } = await runCli(['check-config', file]);
    expect(code).toBe(0);
    expect(stdout).toContain(': OK —');
  });
});
