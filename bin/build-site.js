#!/usr/bin/env node
// Builds the status site when its sources are newer than the last build,
// so `npm start` and `npm test` work on a fresh clone without a separate step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const entry = join(root, 'status-site/dist/server/entry.mjs');
const sources = ['status-site/src', 'status-site/astro.config.mjs', 'api/http/schemas.ts', 'config'];

function newest(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))));
}

if (!existsSync(entry) || Math.max(...sources.map(newest)) > statSync(entry).mtimeMs) {
  process.stdout.write('Building the status site…\n');
  execFileSync('npx', ['astro', 'build', '--root', 'status-site', '--silent'], { cwd: root, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
}
