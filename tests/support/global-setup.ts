import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the status site when its sources changed, so every way of running the tests serves the current pages. */
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../bin/build-site.js', import.meta.url))], { stdio: 'inherit' });
}
