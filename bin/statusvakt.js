#!/usr/bin/env node
// Statusvakt is TypeScript run by Node's own type stripping (Node >= 22.18 / 24); see docs/adr/0001.
import { main } from '../cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
