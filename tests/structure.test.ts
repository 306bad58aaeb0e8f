import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.ts';

const FOLDERS = ['config', 'probe', 'api', 'alerts', 'db', 'status-site', 'cli'];

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === '.astro') return [];
    return statSync(full).isDirectory() ? filesUnder(full, pattern) : pattern.test(name) ? [full] : [];
  });
}

describe('project structure', () => {
  it.each(FOLDERS)('%s/ has an index.ts as its public surface', (folder) => {
    expect(existsSync(join(ROOT, folder, 'index.ts'))).toBe(true);
  });

  // ESLint checks the .ts files; the site's .astro files are checked here.
  it('the status site reads the public API only: no database, probe or CLI, and other folders through index.ts', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(join(ROOT, 'status-site/src'), /\.(astro|ts)$/)) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'((?:\.\.\/)+[^']+)'/g)].map((m) => m[1]!);
      for (const path of imports) {
        const target = relative(ROOT, join(file, '..', path));
        if (target.startsWith('status-site/')) continue;
        if (/^(db|probe|alerts|cli)\//.test(target) || !target.endsWith('/index.ts')) offenders.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
