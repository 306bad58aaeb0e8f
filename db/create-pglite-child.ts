// Run by createPgliteApart: creates the PGlite database in the folder given and
// applies the migrations, then exits, taking initdb's memory with it.
import { openAndMigrate } from './create-pglite.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: create-pglite-child.ts <data folder>\n');
  process.exit(2);
}
try {
  const client = await openAndMigrate(dataDir);
  await client.close();
} catch (error) {
  // PGlite's file system errors carry an errno and no message; the parent shows this last line
  const errno = (error as { errno?: unknown }).errno;
  const message = error instanceof Error && error.message ? error.message : typeof errno === 'number' ? `a file system error (errno ${errno}); the folder must be empty or hold a Statusvakt database` : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
