import { parseConfig, type StatusvaktConfig } from '../../config/index.ts';
import type { CheckResult, ThirdPartyNotice } from '../../probe/index.ts';

/**
 * A page with a third party's service read from its status page
 * (`exchange`) and a service of ours that depends on it (`mail`), plus one
 * that does not (`portal`). `extra` is inserted into mail's entry (e.g. a
 * dependsOn line); `alertRoutes` are the organisation's, as flow YAML.
 */
export function noticeConfig(extra = 'dependsOn: [{ component: exchange, effect: degraded }]', alertRoutes = '[]'): StatusvaktConfig {
  const parsed = parseConfig(`
regions: [{ id: north }]
organisations: [{ id: kommune, name: Kommune, alertRoutes: ${alertRoutes} }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, nb, sv, it, en]
    groups:
      - id: mail-group
        name: { da: Post, en: Mail }
        components:
          - id: exchange
            name: Exchange Online
            checks: [{ kind: statuspage, url: "https://status.example.com/api/v2/summary.json", component: Exchange }]
          - id: mail
            name: { da: Kommunens post, en: Council mail }
            ${extra}
            checks: [{ kind: https, url: "https://mail.example.dk/" }]
          - id: portal
            name: Portal
            checks: [{ kind: https, url: "https://portal.example.dk/" }]
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

/** One read of exchange's status page, listing `notices` (left out: a read that lists none, as an unreadable source sends). */
export function sourceRead(startedAt: string, notices?: ThirdPartyNotice[], fields: Partial<CheckResult> = {}): CheckResult {
  return {
    id: crypto.randomUUID(),
    componentId: 'exchange',
    checkId: 'statuspage',
    regionId: 'north',
    startedAt,
    outcome: 'up',
    durationMs: 80,
    ...(notices ? { notices } : {}),
    ...fields,
  };
}

export function aNotice(fields: Partial<ThirdPartyNotice> = {}): ThirdPartyNotice {
  return { externalId: 'inc-1', kind: 'incident', impact: 'degraded', title: 'Users cannot send mail', body: 'We are investigating.', url: 'https://status.example.com/incidents/inc-1', ...fields };
}
