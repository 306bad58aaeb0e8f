import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('installing from a fresh clone', () => {
  it('has a lockfile "npm ci" accepts: every optional dependency it lists has an entry', () => {
    // the same rule npm ci applies; the script names what is missing and how to fix it
    const run = () => execFileSync(process.execPath, ['bin/fix-lockfile.js', '--check'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('builds the image with npm ci, never npm install', () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).not.toMatch(/npm install/);
  });
});
