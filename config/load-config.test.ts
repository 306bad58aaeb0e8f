import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema.ts';
import { parseConfig, type ConfigIssue } from './load-config.ts';

const example = readFileSync(new URL('./statusvakt.example.yaml', import.meta.url), 'utf8');

const minimal = `
organisations:
  - id: kommune
    name: Kommune
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - id: sso
            name: SSO
            checks:
              - kind: https
                url: https://sso.example.dk/health
`;

function issuesOf(text: string): ConfigIssue[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.issues;
}

describe('parseConfig', () => {
  it('accepts the shipped example', () => {
    const result = parseConfig(example);
    expect(result.ok).toBe(true);
  });

  it.each(['os2faktor', 'uni-login', 'd-ikt', 'x-coo', 'third-party-se'])('accepts the reference profile config/examples/%s.yaml', (name) => {
    const result = parseConfig(readFileSync(new URL(`./examples/${name}.yaml`, import.meta.url), 'utf8'));
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
  });

  it('checks calendar and category references of SLA profiles', () => {
    const text = readFileSync(new URL('./examples/uni-login.yaml', import.meta.url), 'utf8')
      .replace('calendar: dk-school-2026 }', 'calendar: dk-school-2025 }')
      .replace('serviceCategory: extracts', 'serviceCategory: exports')
      .replace('serviceCategory: user-interfaces, ', '');
    const paths = issuesOf(text).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slaProfiles\.0\.coverage\.calendar: unknown calendar "dk-school-2025"/),
        expect.stringMatching(/^pages\.0\.groups\.0\.components\.3\.serviceCategory: profile "uni-login" has no category "exports"/),
        expect.stringMatching(/^pages\.0\.groups\.0\.components\.4\.serviceCategory: profile "uni-login" measures by category/),
      ]),
    );
  });

  it('fills defaults from the schema', () => {
    const result = parseConfig(minimal);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const page = result.config.pages[0]!;
    expect(page.defaultLanguage).toBe('da');
    expect(page.languages).toEqual(['da', 'en']);
    expect(page.timeZone).toBe('Europe/Copenhagen');
    expect(result.config.regions).toEqual([{ id: 'local' }]);
    const check = page.groups[0]!.components[0]!.checks[0]!;
    expect(check).toMatchObject({ method: 'GET', expectedStatus: [200], timeoutMs: 10_000, intervalSeconds: 60, certExpiryDegradedDays: 14 });
  });

  // Each row: a change to the minimal file (whose line 1 is blank), the path it must name, the line, and words of the message.
  const cases: { name: string; edit: (text: string) => string; path: string; line?: number; says: RegExp }[] = [
    { name: 'YAML syntax', edit: (t) => t.replace('name: SSO', 'name: [SSO'), path: '(yaml)', says: /YAML syntax/ },
    { name: 'missing required field', edit: (t) => t.replace('    name: Kommune\n', ''), path: 'organisations.0.name', line: 3, says: /is required/ },
    { name: 'unknown key (typo)', edit: (t) => t.replace('url:', 'url: https://x.dk/\n                intervalSecond: 5\n                old_url:'), path: 'pages.0.groups.0.components.0.checks.0', line: 16, says: /unknown keys? .*intervalSecond/ },
    { name: 'http instead of https', edit: (t) => t.replace('https://sso', 'http://sso'), path: 'pages.0.groups.0.components.0.checks.0.url', line: 17, says: /https:\/\// },
    { name: 'bad id', edit: (t) => t.replace('id: sso', 'id: SSO Login'), path: 'pages.0.groups.0.components.0.id', line: 13, says: /lower-case/ },
    { name: 'unknown check kind', edit: (t) => t.replace('kind: https', 'kind: ping'), path: 'pages.0.groups.0.components.0.checks.0.kind', line: 16, says: /"https"/ },
    { name: 'unknown time zone', edit: (t) => t.replace('    name: Status\n', '    name: Status\n    timeZone: Europe/Copenhagn\n'), path: 'pages.0.timeZone', line: 9, says: /IANA time zone/ },
    { name: 'unknown organisation', edit: (t) => t.replace('organisation: kommune', 'organisation: region'), path: 'pages.0.organisation', line: 7, says: /unknown organisation "region".*"kommune"/ },
    { name: 'unknown SLA profile', edit: (t) => t.replace('name: SSO', 'name: SSO\n            slaProfile: gold'), path: 'pages.0.groups.0.components.0.slaProfile', line: 15, says: /unknown SLA profile "gold"/ },
    { name: 'unknown region', edit: (t) => t.replace('url: https://sso.example.dk/health', 'url: https://sso.example.dk/health\n                regions: [oslo]'), path: 'pages.0.groups.0.components.0.checks.0.regions.0', line: 18, says: /unknown region "oslo"/ },
    {
      name: 'duplicate component id',
      edit: (t) => `${t}          - id: sso\n            name: Again\n`,
      path: 'pages.0.groups.0.components.1.id',
      line: 18,
      says: /duplicate component id "sso" \(first used at pages\.0\.groups\.0\.components\.0\.id\)/,
    },
    { name: 'default language not offered', edit: (t) => t.replace('    name: Status\n', '    name: Status\n    defaultLanguage: sv\n    languages: [da, en]\n'), path: 'pages.0.defaultLanguage', line: 9, says: /"sv" is not in this page's languages/ },
    { name: 'quorum above the regions', edit: (t) => `regions: [{ id: a }, { id: b }]\nquorum: { minFreshRegions: 3 }\n${t}`, path: 'quorum.minFreshRegions', line: 2, says: /3 is more than the 2 regions declared under regions; use at most 2/ },
    { name: 'quorum of no region', edit: (t) => `quorum: { minFreshRegions: 0 }\n${t}`, path: 'quorum.minFreshRegions', line: 1, says: /at least 1 region/ },
    {
      name: "a component's quorum above the regions that run its checks",
      edit: (t) => `regions: [{ id: a }, { id: b }, { id: c }]\n${t.replace('name: SSO', 'name: SSO\n            minFreshRegions: 2').replace('url: https://sso.example.dk/health', 'url: https://sso.example.dk/health\n                regions: [a]')}`,
      path: 'pages.0.groups.0.components.0.minFreshRegions',
      line: 16,
      says: /2 is more than the 1 region\(s\) that run this component's checks \(a\); use at most 1/,
    },
    { name: 'a negative grouping span', edit: (t) => `incidents: { groupWithinMinutes: -1 }\n${t}`, path: 'incidents.groupWithinMinutes', line: 1, says: /must be 0 \(only components of the same group share an incident\) or more minutes, such as 2/ },
    { name: 'a grouping span of hours', edit: (t) => `incidents:\n  groupWithinMinutes: 90\n${t}`, path: 'incidents.groupWithinMinutes', line: 2, says: /at most 60 minutes/ },
    { name: 'recently resolved hours as a fraction', edit: (t) => t.replace('    name: Status\n', '    name: Status\n    recentlyResolvedHours: 1.5\n'), path: 'pages.0.recentlyResolvedHours', line: 9, says: /whole number of hours/ },
    {
      name: 'an accessibility contact that is not an e-mail address',
      edit: (t) => t.replace('    name: Status\n', '    name: Status\n    accessibility: { email: not-an-address }\n'),
      path: 'pages.0.accessibility.email',
      says: /e-mail address that takes accessibility feedback/,
    },
    { name: 'empty group', edit: (t) => t.replace(/components:[\s\S]*$/, 'components: []\n'), path: 'pages.0.groups.0.components', line: 12, says: /at least one component/ },
  ];

  it.each(cases)('names the path, line and fix for: $name', ({ edit, path, line, says }) => {
    const issues = issuesOf(edit(minimal));
    const issue = issues.find((i) => i.path === path);
    expect(issue, `issues were: ${JSON.stringify(issues, null, 1)}`).toBeDefined();
    expect(issue!.message).toMatch(says);
    if (line !== undefined) expect(issue!.line).toBe(line);
  });

  it('checks embed origins and host names, and that a host name serves one page', () => {
    const withEmbeds = minimal.replace('    name: Status\n', '    name: Status\n    embedOrigins: ["https://intranet.kommune.dk", "http://localhost:8080"]\n    hostnames: [status.kommune.dk]\n');
    const parsed = parseConfig(withEmbeds);
    expect(parsed.ok && parsed.config.pages[0]!.hostnames).toEqual(['status.kommune.dk']);
    expect(parsed.ok && parsed.config.pages[0]!.embedOrigins).toEqual(['https://intranet.kommune.dk', 'http://localhost:8080']);
    const bad = issuesOf(minimal.replace('    name: Status\n', '    name: Status\n    embedOrigins: ["https://intranet.kommune.dk/page"]\n    hostnames: ["https://status.kommune.dk"]\n'));
    expect(bad.find((i) => i.path === 'pages.0.embedOrigins.0')?.message).toMatch(/must be an origin.*no path/);
    expect(bad.find((i) => i.path === 'pages.0.hostnames.0')?.message).toMatch(/without scheme/);
    const twoPages = withEmbeds + withEmbeds.slice(withEmbeds.indexOf('  - id: status')).replace('id: status', 'id: other').replace(/id: login/, 'id: login2').replace(/id: sso/, 'id: sso2');
    expect(issuesOf(twoPages).find((i) => i.path === 'pages.1.hostnames.0')?.message).toMatch(/already the host name of page "status"/);
  });

  it('reports every mistake at once, field errors and cross-references together', () => {
    const broken = minimal
      .replace('organisation: kommune', 'organisation: region')
      .replace('https://sso', 'http://sso')
      .replace('name: SSO', 'name: SSO\n            slaProfile: gold');
    const paths = issuesOf(broken).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['pages.0.organisation', 'pages.0.groups.0.components.0.checks.0.url', 'pages.0.groups.0.components.0.slaProfile']),
    );
  });

  it('rejects business hours that end before they start', () => {
    const text = `${minimal}slaProfiles:\n  - id: school\n    name: School days\n    availabilityTargetPercent: 99\n    coverage: { kind: business-hours, start: "16:00", end: "08:00" }\n`;
    const issue = issuesOf(text).find((i) => i.path === 'slaProfiles.0.coverage.end');
    expect(issue?.message).toMatch(/must be after start/);
  });
});

describe('config JSON Schema', () => {
  it('is committed as generated from the zod schema', () => {
    const committed = JSON.parse(readFileSync(new URL('./statusvakt.schema.json', import.meta.url), 'utf8'));
    expect(committed, 'run `npm run schema:generate` and commit the result').toEqual(configJsonSchema());
  });

  it('accepts the example and rejects a file with a wrong type', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(configJsonSchema());
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ organisations: 'kommune', pages: [] })).toBe(false);
  });
});
