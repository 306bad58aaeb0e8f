import { describe, expect, it } from 'vitest';
import { Check } from './schema.ts';

const firstIssue = (spec: unknown) => {
  const parsed = Check.safeParse(spec);
  return parsed.success ? undefined : { path: parsed.error.issues[0]!.path.join('.'), message: parsed.error.issues[0]!.message };
};

describe('source check kinds', () => {
  it('fills the defaults of a feed check', () => {
    expect(Check.parse({ kind: 'feed', url: 'https://status.example.com/feed.rss' })).toEqual({
      kind: 'feed',
      url: 'https://status.example.com/feed.rss',
      match: [],
      activeWithinHours: 24,
      effect: 'degraded',
      maxBodyBytes: 4 * 1024 * 1024,
      timeoutMs: 10_000,
      intervalSeconds: 300,
    });
  });

  it('fills the defaults of a graph check', () => {
    expect(Check.parse({ kind: 'graph', tenantId: 'kommune.onmicrosoft.com', clientIdEnv: 'GRAPH_CLIENT_ID', clientSecretEnv: 'GRAPH_CLIENT_SECRET', service: 'Exchange Online' })).toMatchObject({
      features: [],
      timeoutMs: 15_000,
      intervalSeconds: 300,
      authorityUrl: 'https://login.microsoftonline.com',
      graphUrl: 'https://graph.microsoft.com',
    });
  });

  it.each([
    { spec: { kind: 'feed', url: 'http://status.example.com/feed.rss' }, path: 'url', message: /must be the https:\/\/ URL of an RSS or Atom feed/ },
    { spec: { kind: 'feed', url: 'https://status.example.com/feed.rss', effect: 'maintenance' }, path: 'effect', message: /degraded|down/ },
    { spec: { kind: 'feed', url: 'https://status.example.com/feed.rss', match: [' '] }, path: 'match.0', message: /leave match out to take every entry/ },
    { spec: { kind: 'graph', tenantId: 'kommune', clientIdEnv: 'GRAPH_CLIENT_ID', clientSecretEnv: 'Q~abc.secret', service: 'Exchange Online' }, path: 'clientSecretEnv', message: /must name an environment variable .*secrets are never written in the config/ },
    { spec: { kind: 'graph', tenantId: 'kommune/../x', clientIdEnv: 'A', clientSecretEnv: 'B', service: 'Exchange Online' }, path: 'tenantId', message: /must be the tenant id/ },
    { spec: { kind: 'graph', tenantId: 'kommune', clientIdEnv: 'A', clientSecretEnv: 'B', service: 'Exchange Online', timeoutMs: 200 }, path: 'timeoutMs', message: /at least 1000 ms/ },
    { spec: { kind: 'rss', url: 'https://status.example.com/feed.rss' }, path: 'kind', message: /"feed", "graph"/ },
  ])('refuses $spec.kind with $path', ({ spec, path, message }) => {
    const issue = firstIssue(spec);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });
});
