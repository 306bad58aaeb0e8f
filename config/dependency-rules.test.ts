import { describe, expect, it } from 'vitest';
import { parseConfig } from './index.ts';

function parse(components: string) {
  return parseConfig(`
regions: [{ id: north }]
organisations: [{ id: k, name: K }]
pages:
  - id: p
    organisation: k
    name: P
    groups:
      - id: g
        name: G
        components:
${components}`);
}

const issuesOf = (result: ReturnType<typeof parse>) => (result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`));

describe('dependsOn in the config', () => {
  it('takes a dependency on another component, with its effect', () => {
    const result = parse(`
          - { id: exchange, name: Exchange, checks: [{ kind: statuspage, url: "https://status.example.com/api/v2/summary.json", component: Exchange }] }
          - { id: mail, name: Mail, dependsOn: [{ component: exchange, effect: down }] }`);
    expect(issuesOf(result)).toEqual([]);
    expect(result.ok && result.config.pages[0]!.groups[0]!.components[1]!.dependsOn).toEqual([{ component: 'exchange', effect: 'down' }]);
    expect(result.ok && result.config.pages[0]!.groups[0]!.components[0]!.dependsOn).toEqual([]);
  });

  it.each([
    ['an unknown component', `          - { id: mail, name: Mail, dependsOn: [{ component: exchnage, effect: down }] }`, /dependsOn\.0\.component.*unknown component "exchnage"; use the id of a component/],
    ['itself', `          - { id: mail, name: Mail, dependsOn: [{ component: mail, effect: down }] }`, /dependsOn\.0\.component.*cannot depend on itself/],
    [
      'a loop',
      `          - { id: a, name: A, dependsOn: [{ component: b, effect: down }] }
          - { id: b, name: B, dependsOn: [{ component: c, effect: degraded }] }
          - { id: c, name: C, dependsOn: [{ component: a, effect: degraded }] }`,
      /dependsOn\.0\.component.*makes a loop \(. → . → . → .\).*remove one of these entries/,
    ],
    ['an unknown effect', `          - { id: a, name: A }\n          - { id: mail, name: Mail, dependsOn: [{ component: a, effect: broken }] }`, /dependsOn\.0\.effect.*"degraded", "down"/],
  ])('refuses a dependency on %s, naming the path and the fix', (_name, components, pattern) => {
    const issues = issuesOf(parse(components));
    expect(issues.join('\n')).toMatch(pattern);
    if (_name === 'a loop') expect(issues.filter((i) => i.includes('loop'))).toHaveLength(1);
  });

  it('checks a ladder of 30 diamonds (2^30 paths from its top) in one pass over each component', () => {
    // n{i} depends on both l{i+1} and r{i+1}, which both depend on n{i+1}: a search that walked every path would not end
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) {
      lines.push(`          - { id: n${i}, name: N, dependsOn: [{ component: l${i}, effect: down }, { component: r${i}, effect: down }] }`);
      lines.push(`          - { id: l${i}, name: L, dependsOn: [{ component: n${i + 1}, effect: down }] }`);
      lines.push(`          - { id: r${i}, name: R, dependsOn: [{ component: n${i + 1}, effect: down }] }`);
    }
    lines.push('          - { id: n30, name: N }');
    expect(issuesOf(parse(lines.join('\n')))).toEqual([]);
  });
});

