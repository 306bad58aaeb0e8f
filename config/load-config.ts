import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { checkConfigRules } from './config-rules.ts';
import { StatusvaktConfig } from './schema.ts';

export type ConfigIssue = {
  /** Dotted YAML path, e.g. `pages.0.groups.1.components.2.checks.0.url`. */
  path: string;
  /** 1-based line in the file, when the path (or its nearest parent) exists there. */
  line: number | undefined;
  message: string;
};

export type ConfigResult =
  | { ok: true; config: StatusvaktConfig }
  | { ok: false; issues: ConfigIssue[] };

const CheckedConfig = StatusvaktConfig.superRefine(checkConfigRules, { when: () => true });

/** Parses and validates YAML text; every problem is reported, not just the first. */
export function parseConfig(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({
        path: '(yaml)',
        line: error.linePos?.[0]?.line,
        message: `${error.message.split('\n')[0]}; fix the YAML syntax (indentation with spaces, "key: value" pairs)`,
      })),
    };
  }
  const result = CheckedConfig.safeParse(doc.toJS() ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => toConfigIssue(issue, (path) => lineOf(doc, lineCounter, path))),
  };
}

export async function loadConfigFile(file: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return { ok: false, issues: [{ path: '(file)', line: undefined, message: `cannot read ${file}: ${reason}; pass --config FILE or set STATUSVAKT_CONFIG` }] };
  }
  return parseConfig(text);
}

/** One line per issue: `file:line  path  message`. */
export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues
    .map((issue) => `${file}${issue.line === undefined ? '' : `:${issue.line}`}  ${issue.path}  ${issue.message}`)
    .join('\n');
}

function toConfigIssue(issue: z.core.$ZodIssue, lineFor: (path: PropertyKey[]) => number | undefined): ConfigIssue {
  const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  return { path, line: lineFor(issue.path), message: describeIssue(issue) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `is required (expected ${issue.expected})`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against config/statusvakt.schema.json`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}

/** The line of the deepest node on `path` that exists in the document. */
function lineOf(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
