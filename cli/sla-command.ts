import { readFile } from 'node:fs/promises';
import { EXIT } from './exit-codes.ts';
import { contentHash, parseStatementDocument, verifyStatement, computeStatementFigures, ENGINE_VERSION, type Statement } from '../api/index.ts';

/**
 * `statusvakt sla compute FILE` prints the figures recomputed from a statement's
 * inputs; `statusvakt sla verify FILE` recomputes and compares every figure
 * (and the content hash, when the file carries one). Offline: no database.
 */
export async function slaCommand(positionals: string[]): Promise<number> {
  const [action, file] = positionals;
  if ((action !== 'compute' && action !== 'verify') || !file) {
    process.stderr.write('usage: statusvakt sla compute FILE | statusvakt sla verify FILE\n');
    return 1;
  }
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`statusvakt sla: cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  // an exported statement wraps the document with its status, version and hash; a bare document works too
  const wrapper = input as { document?: unknown; contentSha256?: string };
  const parsed = parseStatementDocument(wrapper.document ?? input);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.issues.map((i) => `${file}  ${i.path}  ${i.message}`).join('\n')}\nnot a valid statement: ${parsed.issues.length} problem(s)\n`);
    return 1;
  }
  if (action === 'compute') {
    process.stdout.write(`${JSON.stringify(computeStatementFigures(parsed.document), null, 2)}\n`);
    return 0;
  }
  const { differences, engineVersionMatches } = verifyStatement(parsed.document);
  const problems = differences.map((d) => `  ${d.figure}: stated ${JSON.stringify(d.stated)}, recomputed ${JSON.stringify(d.recomputed)}`);
  if (wrapper.contentSha256 !== undefined && wrapper.document !== undefined) {
    const hash = contentHash(wrapper.document as Statement);
    if (hash !== wrapper.contentSha256) problems.push(`  contentSha256: stated ${wrapper.contentSha256}, the document hashes to ${hash}`);
  }
  if (!engineVersionMatches) process.stderr.write(`note: made by engine version ${parsed.document.engineVersion}, recomputed with ${ENGINE_VERSION}\n`);
  if (problems.length > 0) {
    process.stdout.write(`${file}: DOES NOT MATCH — ${problems.length} difference(s)\n${problems.join('\n')}\n`);
    return EXIT.runtime;
  }
  process.stdout.write(`${file}: OK — every figure matches (${parsed.document.scope.kind} ${parsed.document.scope.id}, ${parsed.document.period.key})\n`);
  return 0;
}
