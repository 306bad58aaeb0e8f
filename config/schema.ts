import { z } from 'zod';

/**
 * The YAML configuration: organisations, status pages with their component
 * groups and components, each component's checks and SLA profile.
 * Defaults live here so the loaded config is always complete; cross-field
 * rules (unique ids, references) live in `config-rules.ts`.
 */

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The languages the status site has message catalogues for. */
export const LANGUAGES = ['da', 'en', 'nb', 'sv', 'it'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const Id = z
  .string()
  .regex(ID_PATTERN, {
    message: 'must be lower-case letters, digits and dashes, starting with a letter or digit (e.g. "school-login")',
  });

/** A text shown to people: one string, or one per language (`{ da: …, en: … }`). */
export const LocalizedText = z.union([
  z.string().min(1, { message: 'must not be empty' }),
  z.partialRecord(Language, z.string().min(1)).refine((texts) => Object.keys(texts).length > 0, {
    message: 'needs at least one language, e.g. { da: "Login", en: "Login" }',
  }),
]);
export type LocalizedText = z.infer<typeof LocalizedText>;

export const TimeZone = z.string().refine(isKnownTimeZone, {
  message: 'must be an IANA time zone such as "Europe/Copenhagen" or "Europe/Oslo"',
});

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be hh:mm in 24-hour time (e.g. "08:00")' });

/** What the answer's body must satisfy; every assertion must hold. */
export const BodyAssertion = z.union([
  z.strictObject({ contains: z.string().min(1).describe('The body contains this text') }),
  z.strictObject({
    regex: z.string().min(1).refine(isValidRegex, { message: 'must be a valid regular expression (JavaScript syntax), e.g. "status\\s*:\\s*ok"' }).describe('The body matches this regular expression'),
  }),
  z.strictObject({
    jsonPath: z.string().regex(/^\$/, { message: 'must be a JSONPath starting with $, e.g. "$.status"' }).describe('JSONPath into the body parsed as JSON'),
    equals: z.json().describe('The value found there must equal this'),
  }),
], { error: () => 'must be { contains: TEXT }, { regex: PATTERN } or { jsonPath: $.PATH, equals: VALUE }' });
export type BodyAssertion = z.infer<typeof BodyAssertion>;

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const HttpsCheck = z.strictObject({
  id: Id.optional().describe('Stable id of the check; defaults to "https" (or "https-2", … for further checks)'),
  kind: z.literal('https'),
  url: z.url({ protocol: /^https$/, message: 'must be an https:// URL (e.g. "https://login.example.dk/health")' }),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { message: 'must be a header name such as "Accept"' }), z.string()).default({}).describe('Request headers; secrets do not belong here'),
  body: z.array(BodyAssertion).default([]).describe('Assertions on the answer body; a failed one makes the result down (body_mismatch)'),
  maxRedirects: z.int().min(0).max(10).default(0).describe('Redirects to follow (each over a fresh connection, https only); 0 judges the 3xx answer itself'),
  ipFamily: z.enum(['auto', 'ipv4', 'ipv6']).default('auto').describe('Address family to connect over'),
  expectedStatus: z.array(z.int().min(100).max(599)).min(1).default([200]),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(1).max(86_400).default(60),
  degradedAfterMs: z.int().min(1).optional().describe('Latency above which the result is degraded (the service target)'),
  certExpiryDegradedDays: z.int().min(0).max(365).default(14).describe('Days before the certificate expires from which the result is degraded'),
  regions: z.array(Id).optional().describe('Regions that run this check; all regions when left out'),
});
export type HttpsCheck = z.infer<typeof HttpsCheck>;

/** Another provider's public Statuspage-style summary.json, one of its components mapped to ours. */
export const StatuspageCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('statuspage'),
  url: z.url({ protocol: /^https$/, message: 'must be the https:// URL of a summary.json (e.g. "https://status.example.com/api/v2/summary.json")' }),
  component: z.string().min(1).describe("The upstream component's name or id"),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(30).max(86_400).default(120),
  regions: z.array(Id).optional(),
});
export type StatuspageCheck = z.infer<typeof StatuspageCheck>;

const Threshold = z.strictObject({ above: z.number().optional(), below: z.number().optional() }).refine((t) => t.above !== undefined || t.below !== undefined, { message: 'needs above or below' });

export const CloudWatchMetric = z.strictObject({
  id: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,62}$/, { message: 'must start with a lower-case letter and use letters, digits and _ (e.g. "unhealthy_hosts")' }),
  namespace: z.string().min(1).describe('e.g. AWS/ApplicationELB'),
  metricName: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  stat: z.string().regex(/^(Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?|tm\d{1,2})$/, { message: 'must be Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99' }),
  periodSeconds: z.int().refine((p) => p === 1 || p === 5 || p === 10 || p === 30 || p % 60 === 0, { message: 'must be 1, 5, 10, 30 or a multiple of 60' }).default(60),
  degradedWhen: Threshold.optional(),
  downWhen: Threshold.optional(),
  noData: z.enum(['up', 'unknown', 'down']).default('unknown').describe('What a missing data point means'),
});
export type CloudWatchMetric = z.infer<typeof CloudWatchMetric>;

/** Usual signals with sensible thresholds; each expands into metrics. */
export const CloudWatchPreset = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('alb'), loadBalancer: z.string().describe('e.g. app/my-lb/50dc6c495c0c9188'), targetGroup: z.string().describe('e.g. targetgroup/my-tg/73e2d6bc24d8a067'), slowAfterSeconds: z.number().positive().default(2) }),
  z.strictObject({ kind: z.literal('classic-elb'), loadBalancer: z.string(), slowAfterSeconds: z.number().positive().default(2) }),
  z.strictObject({ kind: z.literal('rds'), dbInstance: z.string(), maxConnections: z.int().positive().optional() }),
  z.strictObject({ kind: z.literal('aurora'), dbCluster: z.string(), maxConnections: z.int().positive().optional() }),
  z.strictObject({ kind: z.literal('ecs'), cluster: z.string(), service: z.string() }),
]);
export type CloudWatchPreset = z.infer<typeof CloudWatchPreset>;

/** CloudWatch metrics read with GetMetricData; several metrics combine into one state (the worst). */
export const CloudWatchCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('cloudwatch'),
  awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as "eu-north-1"' }),
  endpoint: z.url().optional().describe('A CloudWatch endpoint other than the public one (a VPC endpoint)'),
  presets: z.array(CloudWatchPreset).default([]),
  metrics: z.array(CloudWatchMetric).default([]),
  lookbackSeconds: z.int().min(60).max(86_400).default(600),
  intervalSeconds: z.int().min(60).max(86_400).default(60),
  regions: z.array(Id).optional(),
});
export type CloudWatchCheck = z.infer<typeof CloudWatchCheck>;

export const Check = z.discriminatedUnion('kind', [HttpsCheck, StatuspageCheck, CloudWatchCheck], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be "https", "statuspage" or "cloudwatch"' : undefined),
});
export type Check = z.infer<typeof Check>;

export const Component = z.strictObject({
  id: Id,
  name: LocalizedText,
  description: LocalizedText.optional(),
  slaProfile: Id.optional().describe('Id of an entry in slaProfiles'),
  serviceCategory: Id.optional().describe("Id of one of the profile's categories"),
  checks: z.array(Check).default([]),
});
export type Component = z.infer<typeof Component>;

export const ComponentGroup = z.strictObject({
  id: Id,
  name: LocalizedText,
  components: z.array(Component).min(1, { message: 'a group needs at least one component' }),
});
export type ComponentGroup = z.infer<typeof ComponentGroup>;

export const StatusPage = z.strictObject({
  id: Id,
  organisation: Id.describe('Id of an entry in organisations'),
  name: LocalizedText,
  defaultLanguage: Language.default('da'),
  languages: z.array(Language).min(1).default(['da', 'en']),
  timeZone: TimeZone.default('Europe/Copenhagen'),
  autoPublishRegistered: z.boolean().default(true).describe('Publish the "registered" message for A and B faults within a minute of detection'),
  groups: z.array(ComponentGroup).min(1, { message: 'a page needs at least one component group' }),
});
export type StatusPage = z.infer<typeof StatusPage>;

const IsoDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });
const Weekday = z.int().min(1).max(7).describe('ISO weekday: 1 = Monday … 7 = Sunday');

/** Days business hours do not count: public holidays (date-holidays) and named closures. */
export const Calendar = z.strictObject({
  id: Id,
  holidays: z
    .strictObject({
      country: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO country code such as "DK", "NO", "SE" or "IT"' }),
      state: z.string().optional(),
      region: z.string().optional(),
      types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).default(['public']),
    })
    .optional()
    .describe('Public holidays from the date-holidays library'),
  closures: z
    .array(z.strictObject({ name: z.string().min(1), from: IsoDate, to: IsoDate }))
    .default([])
    .describe('Named closure periods, local dates inclusive (e.g. school holidays per municipality and year)'),
});
export type Calendar = z.infer<typeof Calendar>;

export const Coverage = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('always') }),
  z.strictObject({
    kind: z.literal('business-hours'),
    weekdays: z.array(Weekday).min(1).default([1, 2, 3, 4, 5]),
    start: LocalTime,
    end: LocalTime,
    calendar: Id.optional().describe('Id of an entry in calendars'),
  }),
]);
export type Coverage = z.infer<typeof Coverage>;

const Minutes = z.number().positive();
const ByPriority = z.strictObject({ A: Minutes.optional(), B: Minutes.optional(), C: Minutes.optional(), D: Minutes.optional() }).describe('Minutes of covered time per priority; a priority left out has no deadline ("when convenient")');

export const WindowPolicy = z.strictObject({
  maxPerMonth: z.int().min(0).optional(),
  maxPerYear: z.int().min(0).optional(),
  allowedSpan: z
    .strictObject({ from: z.strictObject({ weekday: Weekday, time: LocalTime }), to: z.strictObject({ weekday: Weekday, time: LocalTime }) })
    .optional()
    .describe('Windows must lie within one occurrence of this weekly span, e.g. Saturday 04:00 to Monday 04:00'),
  maxDurationMinutes: z.int().positive().optional(),
  minNoticeMonths: z.int().min(0).optional().describe('Calendar months between announcement and start'),
  emergencyAllowed: z.boolean().default(false).describe('A window that breaks the rules may still run, flagged as an emergency'),
});
export type WindowPolicy = z.infer<typeof WindowPolicy>;

export const ServiceCategory = z.strictObject({
  id: Id,
  name: LocalizedText,
  criticality: z.int().min(1).max(5).optional(),
  reactionMinutes: ByPriority.optional().describe("Overrides the profile's reaction times for this category"),
  windowPolicy: WindowPolicy.partial().optional().describe("Overrides parts of the profile's window policy for this category"),
});
export type ServiceCategory = z.infer<typeof ServiceCategory>;

/** A further time promise of the agreement, counted in covered time of the given hours. */
export const Commitment = z.strictObject({
  id: Id,
  name: LocalizedText,
  minutes: Minutes,
  hours: z.enum(['always', 'coverage', 'support']).default('coverage').describe('Whose hours the clock runs in'),
});

export const SlaProfile = z.strictObject({
  id: Id,
  name: z.string().min(1),
  availabilityTargetPercent: z.number().gt(0).max(100).optional().describe('Left out when the agreement promises no figure (the health is watched and reported)'),
  timeZone: TimeZone.default('Europe/Copenhagen'),
  coverage: Coverage.default({ kind: 'always' }).describe('When availability counts'),
  supportHours: Coverage.optional().describe('When support is staffed; clocks with hours: support run in these'),
  unmeasured: z.enum(['exclude', 'down']).default('exclude').describe('Time without a fresh measurement: left out of both sides, or counted as down'),
  windowPolicy: WindowPolicy.optional(),
  reactionMinutes: ByPriority.optional(),
  categories: z.array(ServiceCategory).default([]).describe('Service categories measured separately (each component names one)'),
  commitments: z.array(Commitment).default([]),
  communicationPlan: z
    .strictObject({
      registeredMinutes: Minutes.default(15),
      natureMinutes: Minutes.default(30),
      estimateMinutes: Minutes.default(90),
      runningStatusEveryMinutes: Minutes.default(60).describe('Cadence of running-status messages after the estimate'),
      operationNormalMinutes: Minutes.default(15),
    })
    .default({ registeredMinutes: 15, natureMinutes: 30, estimateMinutes: 90, runningStatusEveryMinutes: 60, operationNormalMinutes: 15 })
    .describe('Deadlines of the public messages for A and B faults, in minutes of covered time from registration (UNI-Login §7 by default)'),
  reporting: z.array(z.enum(['month', 'tertial', 'year'])).default(['month']),
  reportDueDay: z.int().min(1).max(28).default(7).describe("Day of the following month from which a month's report is final"),
});
export type SlaProfile = z.infer<typeof SlaProfile>;

export const Organisation = z.strictObject({ id: Id, name: z.string().min(1) });

export const Region = z.strictObject({ id: Id, name: z.string().min(1).optional() });

export const StatusvaktConfig = z.strictObject({
  regions: z.array(Region).min(1).default([{ id: 'local' }]).describe('Probe regions; the in-process probe of `statusvakt start` is the first'),
  organisations: z.array(Organisation).min(1, { message: 'needs at least one organisation' }),
  calendars: z.array(Calendar).default([]),
  slaProfiles: z.array(SlaProfile).default([]),
  pages: z.array(StatusPage).min(1, { message: 'needs at least one status page' }),
});
export type StatusvaktConfig = z.infer<typeof StatusvaktConfig>;
