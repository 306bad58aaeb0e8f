import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { checkConfigRules } from './config-rules.ts';
import { StatusvaktConfig } from './schema.ts';
import { loadSiteFiles, type SiteFiles } from './site-files.ts';

export type ConfigIssue = {
  /** Dotted YAML path, e.g. `pages.0.groups.1.components.2.checks.0.url`. */
  path: string;
  /** 1-based line in the file, when the path (or its nearest parent) exists there. */
  line: number | undefined;
  message: string;
};

export type ConfigResult =
  /** `siteFiles`: the logos and favicons the config names, read and checked (empty when parsed from text alone). */
  | { ok: true; config: StatusvaktConfig; siteFiles: SiteFiles }
  | { ok: false; issues: ConfigIssue[] };

const CheckedConfig = StatusvaktConfig.superRefine(checkConfigRules, { when: () => true });

/** Parses and validates YAML text; every problem is reported, not just the first. */
export function parseConfig(text: string): ConfigResult {
  return parseWithLines(text).result;
}

function parseWithLines(text: string): { result: ConfigResult; lineFor: (path: PropertyKey[]) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineFor = (path: PropertyKey[]) => lineOf(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    return { lineFor, result: {
      ok: false,
      issues: doc.errors.map((error) => ({
        path: '(yaml)',
        line: error.linePos?.[0]?.line,
        message: `${error.message.split('\n')[0]}; fix the YAML syntax (indentation with spaces, "key: value" pairs)`,
      })),
    } };
  }
  const result = CheckedConfig.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return { lineFor, result: { ok: true, config: result.data, siteFiles: new Map() } };
  return { lineFor, result: { ok: false, issues: result.error.issues.map((issue) => toConfigIssue(issue, lineFor)) } };
}

export async function loadConfigFile(file: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    return { ok: false, issues: [{ path: '(file)', line: undefined, message: `cannot read ${file}: ${reason}; pass --config FILE or set STATUSVAKT_CONFIG` }] };
  }
  const { result, lineFor } = parseWithLines(text);
  if (!result.ok) return result;
  // logos and favicons are checked where the config is: a wrong file stops `check-config` and `start`, not a visitor
  const { files, issues } = await loadSiteFiles(result.config, dirname(file));
  if (issues.length > 0) return { ok: false, issues: issues.map((issue) => ({ path: issue.path.join('.'), line: lineFor(issue.path), message: issue.message })) };
  return { ...result, siteFiles: files };
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
  // the issue carries the value it was given (reportInput), so a value of the wrong type is not called missing
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
