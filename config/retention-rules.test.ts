import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.ts';
import { rawResultDaysNeeded } from './retention-rules.ts';

const config = (retention: string, profile = '') => `
${retention}
organisations: [{ id: kommune, name: Kommune }]
slaProfiles:
  - id: uni-login
    name: UNI-Login
${profile}
pages:
  - id: status
    organisation: kommune
    name: Status
    groups: [{ id: g, name: G, components: [{ id: sso, name: SSO, slaProfile: uni-login, checks: [{ kind: https, url: "https://sso.example.dk/" }] }] }]
`;

describe('raw-result retention in the config', () => {
  it('needs a month, the days until the report is final, the late-results grace and the day being dropped', () => {
    expect(rawResultDaysNeeded({})).toBe(31 + 6 + 2 + 1);
    expect(rawResultDaysNeeded({ reportDueDay: 28, lateResultsGraceHours: 744 })).toBe(31 + 27 + 31 + 1);
    expect(rawResultDaysNeeded({ reportDueDay: 1, lateResultsGraceHours: 0 })).toBe(32);
    // a part of a day of grace keeps the whole day
    expect(rawResultDaysNeeded({ reportDueDay: 7, lateResultsGraceHours: 25 })).toBe(31 + 6 + 2 + 1);
  });

  it('defaults to 90 days, which covers every profile the schema allows', () => {
    const parsed = parseConfig(config('', '    reportDueDay: 28\n    lateResultsGraceHours: 744'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config.retention).toBeUndefined();
    const explicit = parseConfig(config('retention: {}'));
    if (!explicit.ok) throw new Error(JSON.stringify(explicit.issues));
    expect(explicit.config.retention).toEqual({ rawResultsDays: 90 });
  });

  it('refuses a retention shorter than the most demanding profile needs, naming the path, the profile and the fix', () => {
    const parsed = parseConfig(config('retention: { rawResultsDays: 30 }', '    reportDueDay: 10'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual([
      expect.objectContaining({
        path: 'retention.rawResultsDays',
        message:
          '30 days is shorter than SLA profile "uni-login" needs: a month\'s results are read until its report is final (day 10 of the next month) and 48 h of late results after that, 43 days in all; set at least 43',
      }),
    ]);
  });

  it('says what a whole number of days is, and the bounds', () => {
    for (const [value, says] of [
      ['14.5', 'must be a whole number of days, such as 90'],
      ['3', 'must be at least 7 days (e.g. 90)'],
      ['5000', 'must be at most 3650 days (10 years), e.g. 90'],
      ['ninety', 'must be a whole number of days, such as 90'],
    ] as const) {
      const parsed = parseConfig(config(`retention: { rawResultsDays: ${value} }`));
      expect(parsed.ok ? [] : parsed.issues.map((i) => [i.path, i.message])).toContainEqual(['retention.rawResultsDays', says]);
    }
  });
});
