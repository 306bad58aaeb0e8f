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
// main.ts alone: the index also loads the HTTP server, which --help and --version do not need
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
