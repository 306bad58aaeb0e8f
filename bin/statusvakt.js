#!/usr/bin/env node
// Statusvakt is TypeScript run by Node's own type stripping, which needs
// Node 22.18 or newer; the project installs Node 24 for npm to use (docs/adr/0001).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `statusvakt needs Node 22.18 or newer, but this is Node ${process.versions.node}.\n` +
      'Run it through npm, which uses the Node 24 installed with the project: npm start, or npx statusvakt <command>.\n',
  );
  process.exit(1);
}
// The long-running commands keep V8's young generation at its initial size (1 MB a semi-space)
// while their modules load. Left to grow, it reaches 64 MB a semi-space on start-up garbage alone
// (their garbage survives a few collections) and V8 keeps all 128 MB resident for good. Measured
// on `start` with PGlite: about 110 MB less resident. A server lets it grow again once it listens
// (cli/run-server.ts). Only this flag can still be set once the process runs; --max-semi-space-size
// is read when V8 starts.
if (['start', 'serve', 'probe'].includes(process.argv[2] ?? '')) {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--semi-space-growth-factor=1');
}
await import('./fast-resolve.js');
// main.ts alone: the index also loads the HTTP server, which --help and --version do not need
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
