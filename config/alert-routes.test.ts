import { describe, expect, it } from 'vitest';
import { parseConfig, type ConfigIssue } from './load-config.ts';

const withRoutes = (routes: string) => `
organisations:
  - id: kommune
    name: Kommune
    alertRoutes:
${routes}
pages:
  - id: status
    organisation: kommune
    name: Status
    groups:
      - id: login
        name: Login
        components:
          - { id: sso, name: SSO }
`;

function issuesOf(text: string): ConfigIssue[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.issues;
}

describe('alert routes in the config', () => {
  it('accepts every channel kind and fills the defaults', () => {
    const result = parseConfig(
      withRoutes(`      - id: on-call
        events: [component_down, component_up, communication_overdue]
        components: [sso]
        channels:
          - { kind: email, addresses: [vagt@kommune.dk] }
          - { kind: webhook, url: "https://hooks.kommune.dk/x", secretEnv: ONCALL_SECRET }
          - { kind: slack, urlEnv: SLACK_URL }
          - { kind: teams, urlEnv: TEAMS_URL }`),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const route = result.config.organisations[0]!.alertRoutes[0]!;
    expect(route.priorities).toEqual(['A', 'B', 'C', 'D']);
    expect(route.repeatEveryMinutes).toBe(30);
    expect(route.channels.map((c) => c.kind)).toEqual(['email', 'webhook', 'slack', 'teams']);
  });

  it.each([
    ['an unknown event', `      - { id: r, events: [component_exploded], channels: [{ kind: slack, urlEnv: S }] }`, 'organisations.0.alertRoutes.0.events.0', /must be one of "component_down", "component_degraded"/],
    ['an unknown channel', `      - { id: r, events: [component_down], channels: [{ kind: pager, to: x }] }`, 'organisations.0.alertRoutes.0.channels.0.kind', /unknown channel: kind must be "email", "webhook", "slack" or "teams"/],
    ['a secret written inline', `      - { id: r, events: [component_down], channels: [{ kind: slack, urlEnv: "https://hooks.slack.com/x" }] }`, 'organisations.0.alertRoutes.0.channels.0.urlEnv', /environment variable/],
    ['a component of nobody', `      - { id: r, events: [component_down], components: [nope], channels: [{ kind: slack, urlEnv: S }] }`, 'organisations.0.alertRoutes.0.components.0', /unknown component "nope" for organisation "kommune"; use one of: "sso"/],
    ['two routes with one id', `      - { id: r, events: [component_down], channels: [{ kind: slack, urlEnv: S }] }\n      - { id: r, events: [component_up], channels: [{ kind: slack, urlEnv: S }] }`, 'organisations.0.alertRoutes.1.id', /alert route/],
    ['a route without channels', `      - { id: r, events: [component_down], channels: [] }`, 'organisations.0.alertRoutes.0.channels', /needs at least one channel/],
  ])('refuses %s, naming the path and the fix', (_what, routes, path, message) => {
    const issues = issuesOf(withRoutes(routes));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });
});
