import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActions } from './audit-actions.ts';

const ROOT = join(import.meta.dirname, '../../..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const literals = (text: string) => [...text.matchAll(/'([a-z_]+(?:\.[a-z_-]+)?)'/g)].map((m) => m[1]!);

/**
 * The actions the code records in the audit log, read from its calls to
 * `recordAudit` and `recordAccountEvent`: a literal, a choice between
 * literals, a helper's parameter (its callers' literals), or a family with a
 * change's verb (`window.${change.action}`: the verbs of the change type).
 * An action written any other way is reported, so it cannot slip past.
 */
function recordedActions(): { actions: Set<string>; unread: string[] } {
  const actions = new Set<string>();
  const unread: string[] = [];
  for (const file of [...sourcesUnder(join(ROOT, 'api')), ...sourcesUnder(join(ROOT, 'cli'))]) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/(?<!function )record(?:Audit|AccountEvent)\([^\n]*?\baction(?:: ([^,]+(?:\?[^:]+:[^,]+)?))?,/g)) {
      const expression = (call[1] ?? 'action').trim();
      const where = `${relative(ROOT, file)}: ${expression}`;
      const family = /^`([a-z_]+)\.\$\{\w+\.action\}`$/.exec(expression);
      if (/^'[^']+'$/.test(expression) || /^[\w.]+ \? '[^']+' : '[^']+'$/.test(expression)) {
        for (const action of literals(expression)) actions.add(action);
      } else if (family) {
        const verbs = [...text.matchAll(/\{ action: '([a-z_-]+)'/g)].map((m) => m[1]!);
        if (verbs.length === 0) unread.push(where);
        for (const verb of verbs) actions.add(`${family[1]}.${verb}`);
      } else if (/^\w+$/.test(expression)) {
        // a helper taking the action as a parameter: the literals its callers pass
        const helper = new RegExp(`function (\\w+)\\([^)]*\\b${expression}: string`).exec(text)?.[1];
        const passed = helper ? [...text.matchAll(new RegExp(`await ${helper}\\(([^\\n]*)\\)`, 'g'))].flatMap((m) => literals(m[1]!).filter((l) => l.includes('.'))) : [];
        if (passed.length === 0) unread.push(where);
        for (const action of passed) actions.add(action);
      } else {
        unread.push(where);
      }
    }
  }
  return { actions, unread };
}

describe('the audit log actions', () => {
  const { actions, unread } = recordedActions();

  it('are all read from the code that records them', () => {
    expect(unread).toEqual([]);
    // one of each way of writing them, so a scanner that reads nothing fails here
    expect([...actions]).toEqual(expect.arrayContaining(['login', 'login.failed', 'user.reset-totp', 'incident.open', 'incident.reopen', 'window.schedule', 'window.cancel', 'config.reload-refused', 'component_status.set', 'webhook.remove']));
  });

  it('each have words in the console catalogue, and the catalogue names no action that is not recorded', () => {
    const keys = Object.keys(auditActions.en).map((key) => key.replace(/^action_/, ''));
    expect([...actions].filter((action) => !keys.includes(action)).sort()).toEqual([]);
    expect(keys.filter((key) => !actions.has(key)).sort()).toEqual([]);
  });
});
