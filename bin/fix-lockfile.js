#!/usr/bin/env node
// `npm ci` refuses a lockfile whose entries list optional dependencies it has no
// entry for. npm writes exactly that when a package names platform builds that
// were never published for its version (npm install skips them silently):
// @astrojs/compiler-binding 0.5.1 lists ten, of which two exist. This drops
// the listings that have no entry, so `npm ci` installs what exists.
// Usage: npm run lockfile:fix (after any npm install), npm run lockfile:fix -- --check
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));

/** Whether `name` resolves from the package at `path` the way Node looks it up: its own node_modules, then each parent's. */
function resolvable(path, name) {
  for (let base = path; ; base = base.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
    if (lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
  }
}

const dropped = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (resolvable(path, name)) continue;
    dropped.push(`${name} (optional for ${path || 'the project'})`);
    delete entry.optionalDependencies[name];
  }
}
if (process.argv.includes('--check')) {
  if (dropped.length > 0) {
    process.stderr.write(`package-lock.json lists optional dependencies without an entry, so "npm ci" fails:\n  ${dropped.join('\n  ')}\nrun "npm run lockfile:fix" and commit package-lock.json\n`);
    process.exit(1);
  }
} else if (dropped.length > 0) {
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: dropped ${dropped.length} optional dependencies that were never published:\n  ${dropped.join('\n  ')}\n`);
}
