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

  // The probe thread is a V8 instance of its own: what it imports it holds in memory besides the main thread.
  // Loading the API there once (through a helper of cli/env.ts) cost the server about 190 MB resident.
  it('the in-process probe thread loads the probe and the config only: no API, database, alerts or site', () => {
    const loaded = valueImportsFrom(join(ROOT, 'cli/probe-worker.ts'));
    const folders = new Set([...loaded].map((file) => relative(ROOT, file).split('/')[0]));
    expect([...folders].sort()).toEqual(['cli', 'config', 'probe']);
    expect([...loaded].map((file) => relative(ROOT, file)).filter((file) => file.startsWith('cli/')).sort()).toEqual(['cli/probe-thread.ts', 'cli/probe-worker.ts']);
  });
});

/** Every project file `entry` loads at run time, following relative imports that are not `import type`. */
function valueImportsFrom(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
    valueImportsFrom(join(entry, '..', match[1]!), seen);
  }
  return seen;
}

