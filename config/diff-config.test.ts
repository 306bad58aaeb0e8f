import { describe, expect, it } from 'vitest';
import { describeChanges, diffConfig, isUnchanged } from './diff-config.ts';
import { parseConfig } from './load-config.ts';
import type { StatusvaktConfig } from './schema.ts';

const configOf = (components: string, extra = ''): StatusvaktConfig => {
  const parsed = parseConfig(`organisations: [{ id: kommune, name: Kommune${extra} }]
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: g
        name: Services
        components:
${components}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
};
const archive = `          - id: archive
            name: Archive
            checks: [{ kind: https, url: "https://archive.example/", intervalSeconds: 60 }]
`;
const mail = `          - id: mail
            name: Mail
            checks: [{ kind: tcp, host: mail.example, port: 25, intervalSeconds: 60 }]
`;

describe('diffConfig', () => {
  it.each([
    { case: 'the same config', before: archive, after: archive, expected: 'no changes' },
    { case: 'a component added with its check', before: archive, after: archive + mail, expected: 'components: +mail; checks: +mail/tcp' },
    { case: 'a component removed', before: archive + mail, after: mail, expected: 'components: -archive; checks: -archive/https' },
    { case: 'a check changed, the component itself not', before: archive, after: archive.replace('intervalSeconds: 60', 'intervalSeconds: 30'), expected: 'checks: ~archive/https' },
    { case: 'a component renamed', before: archive, after: archive.replace('name: Archive', 'name: Records'), expected: 'components: ~archive' },
  ])('$case', ({ before, after, expected }) => {
    const changes = diffConfig(configOf(before), configOf(after));
    expect(describeChanges(changes)).toBe(expected);
    expect(isUnchanged(changes)).toBe(expected === 'no changes');
  });

  it('counts the same settings written in another order as unchanged', () => {
    const reordered = archive.replace('{ kind: https, url: "https://archive.example/", intervalSeconds: 60 }', '{ intervalSeconds: 60, url: "https://archive.example/", kind: https }');
    expect(isUnchanged(diffConfig(configOf(archive), configOf(reordered)))).toBe(true);
  });

  it('names the parts that are applied only at restart', () => {
    const changes = diffConfig(configOf(archive), configOf(archive, ', branding: { contact: { email: drift@kommune.example } }'));
    expect(changes.needsRestart).toEqual(['branding']);
    expect(changes.organisations.changed).toEqual(['kommune']);
    expect(describeChanges(changes)).toBe('organisations: ~kommune; changed but applied only at restart: branding');
  });
});
