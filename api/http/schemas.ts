import { z } from '@hono/zod-openapi';

/**
 * A date-time an operator or a client sends: it must carry its zone (Z or an
 * offset), since "03:30" alone means a different instant in Copenhagen than on
 * a server in UTC; it is stored as the instant it names.
 */
export const ZonedInstant = z.iso.datetime({ offset: true, message: 'must be a date-time with its time zone, as Z or an offset (e.g. 2026-03-01T03:30:00+01:00); a time without a zone is ambiguous and is refused' });

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional(), details: z.unknown().optional().describe('Stable facts for a client to say in its own language: `kind` and `id` or `ids` for an unknown component, organisation, page, incident, window, exclusion or user; `problem` for stale_version (with version and sent), concurrent_change, resolved, not_in_incident; `fields` ([{ field, problem: invalid_time | invalid_zone | invalid }]) for a request the schema refuses') }) })
  .openapi('Error');

const RegionHealthStatus = z.enum(['healthy', 'unhealthy', 'silent', 'never']).openapi('RegionHealthStatus');
const LocalizedText = z.union([z.string(), z.record(z.string(), z.string())]).openapi('LocalizedText');
const State = z.enum(['up', 'degraded', 'down', 'unknown']).openapi('ComponentState');

export const RegionDetail = z
  .object({
    regionId: z.string(),
    checkId: z.string(),
    outcome: z.enum(['up', 'degraded', 'down', 'unknown']),
    reason: z.string().nullable(),
    message: z.string().nullable(),
    latencyMs: z.number(),
    httpStatus: z.number().nullable(),
    checkedAt: z.string(),
  })
  .openapi('RegionDetail');

export const DayUptime = z
  .object({ date: z.string(), uptimeRatio: z.number().nullable(), upSeconds: z.number(), downSeconds: z.number(), degradedSeconds: z.number(), unknownSeconds: z.number() })
  .openapi('DayUptime');

const ImpactStatus = z.enum(['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage']);

export const ComponentStatus = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    name: LocalizedText,
    description: LocalizedText.nullable(),
    state: State,
    since: z.string().nullable(),
    lastCheckedAt: z.string().nullable(),
    inServiceWindow: z.boolean(),
    regions: z.array(RegionDetail),
    uptimeDays: z.array(DayUptime),
    declared: z
      .object({ status: ImpactStatus, source: z.enum(['incident', 'manual']), incidentId: z.string().nullable(), expiresAt: z.string().nullable() })
      .nullable()
      .describe('What an operator declares now: by an incident update, or set by hand until expiresAt'),
    shown: z
      .object({ status: ImpactStatus, by: z.enum(['measured', 'declared', 'dependency']) })
      .describe('What the page shows: the worst of the measured status, the declared one and the effect of a dependency in trouble, and which it is'),
    dependencies: z
      .array(z.object({ componentId: z.string(), name: LocalizedText, effect: z.enum(['degraded', 'down']), state: z.enum(['degraded', 'down']) }))
      .describe('Components it depends on (config dependsOn) that are degraded or down by their own measurements now'),
    noticeIds: z.array(z.string()).describe("Ids in the page's notices of what third parties report for this component and those it depends on"),
  })
  .openapi('ComponentStatus');

export const ThirdPartyNotice = z
  .object({
    id: z.string(),
    componentId: z.string().describe('The component whose source check reads it'),
    componentName: LocalizedText,
    kind: z.enum(['incident', 'advisory', 'maintenance']),
    impact: z.enum(['none', 'degraded', 'down', 'maintenance']),
    title: z.string().describe("The third party's own text: plain text, never HTML"),
    body: z.string().nullable(),
    url: z.string().nullable(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    updatedAt: z.string().nullable().describe('When the third party last changed it'),
    firstSeenAt: z.string(),
    lastSeenAt: z.string().describe('When a read of the source last listed it'),
  })
  .openapi('ThirdPartyNotice');

export const PageStatus = z
  .object({
    page: z.object({
      id: z.string(),
      name: LocalizedText,
      defaultLanguage: z.string(),
      languages: z.array(z.string()),
      timeZone: z.string(),
      accessibility: z.object({ email: z.string(), phone: z.string().optional(), url: z.string().optional(), reviewed: z.string().optional() }).nullable(),
    }),
    groups: z.array(z.object({ id: z.string(), name: LocalizedText, createdAt: z.string(), components: z.array(ComponentStatus) })),
    overall: z.enum(['none', 'minor', 'major', 'critical', 'unknown']),
    probeRegions: z.array(z.object({ regionId: z.string(), status: RegionHealthStatus, lastResultAt: z.string().nullable() })),
    notices: z.array(ThirdPartyNotice).describe('What third parties report as active or upcoming for these components and those they depend on'),
    generatedAt: z.string(),
  })
  .openapi('PageStatus');

export const RegionHealthList = z
  .object({
    regions: z.array(
      z.object({
        regionId: z.string(),
        status: RegionHealthStatus.describe('unhealthy: every check of this probe fails while other regions see them up'),
        freshResults: z.int(),
        failingResults: z.int(),
        lastResultAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('RegionHealthList');

export const PageList = z
  .object({ pages: z.array(z.object({ id: z.string(), name: LocalizedText, url: z.string(), components: z.number().int().openapi({ description: 'How many live components the page shows' }) })) })
  .openapi('PageList');

const StatuspageComponent = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']),
    created_at: z.string(),
    updated_at: z.string(),
    position: z.number(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.string().nullable(),
    group_id: z.string().nullable(),
    page_id: z.string(),
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
    components: z.array(z.string()).optional(),
  })
  .openapi('StatuspageComponent');

const StatuspagePage = z
  .object({ id: z.string(), name: z.string(), url: z.string(), time_zone: z.string(), updated_at: z.string() })
  .openapi('StatuspagePage');
const StatuspageStatus = z.object({ indicator: z.enum(['none', 'minor', 'major', 'critical']), description: z.string() }).openapi('StatuspageStatus');

export const StatuspageSummary = z
  .object({
    page: StatuspagePage,
    components: z.array(StatuspageComponent),
    incidents: z.array(z.unknown()),
    scheduled_maintenances: z.array(z.unknown()),
    status: StatuspageStatus,
  })
  .openapi('StatuspageSummary');
export const StatuspageStatusBody = z.object({ page: StatuspagePage, status: StatuspageStatus }).openapi('StatuspageStatusBody');
export const StatuspageComponents = z.object({ page: StatuspagePage, components: z.array(StatuspageComponent) }).openapi('StatuspageComponents');

export const Health = z.object({ status: z.enum(['ok', 'not_ready']), database: z.string().optional() }).openapi('Health');
