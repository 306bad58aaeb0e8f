import { parseConfig, type StatusvaktConfig } from '../../config/index.ts';
import type { CheckResult } from '../../probe/index.ts';

/** A small config: one page, two groups, three components, two regions. */
export function testConfig(overrides: { extraComponent?: boolean } = {}): StatusvaktConfig {
  const text = `
regions: [{ id: north }, { id: south }, { id: west }]
organisations: [{ id: kommune, name: Kommune }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    groups:
      - id: login
        name: { da: Login, en: Sign-in }
        components:
          - id: sso
            name: { da: Fælles login, en: Single sign-on }
            description: Login for staff
            checks: [{ kind: https, url: "https://sso.example.dk/health" }]
          - id: mfa
            name: MFA
            checks: [{ kind: https, url: "https://mfa.example.dk/", regions: [north] }]
      - id: portal
        name: Portal
        components:
          - id: portal
            name: Portal
            checks: [{ kind: https, url: "https://portal.example.dk/" }]
${overrides.extraComponent ? '          - id: extra\n            name: Extra\n            checks: [{ kind: https, url: "https://extra.example.dk/" }]\n' : ''}`;
  const result = parseConfig(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

export function result(fields: Partial<CheckResult> & Pick<CheckResult, 'componentId' | 'regionId' | 'startedAt'>): CheckResult {
  return { id: crypto.randomUUID(), checkId: 'https', outcome: 'up', durationMs: 120, httpStatus: 200, ...fields };
}
