import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { DEFAULT_RAW_RESULTS_DAYS } from './retention-rules.ts';

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
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(64 * 1024 * 1024, { message: 'must be at most 67108864 (64 MiB); assert on a smaller health page' })
    .default(1024 * 1024)
    .describe('How much of the body is read for the body assertions (default 1 MiB); a failed assertion on a longer body says it was cut'),
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
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(64 * 1024 * 1024, { message: 'must be at most 67108864 (64 MiB)' })
    .default(4 * 1024 * 1024)
    .describe('How much of summary.json is read (default 4 MiB)'),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(30).max(86_400).default(120),
  regions: z.array(Id).optional(),
});
export type StatuspageCheck = z.infer<typeof StatuspageCheck>;

/** A provider's RSS or Atom status feed: entries that match this component and are not over make it degraded or down. */
export const FeedCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('feed'),
  url: z.url({ protocol: /^https$/, message: 'must be the https:// URL of an RSS or Atom feed (e.g. "https://status.example.com/feed.rss")' }),
  match: z
    .array(z.string().trim().min(1, { message: 'must not be empty; leave match out to take every entry' }))
    .default([])
    .describe('Keywords or categories that select the entries about this component (any of, case-insensitive, in title, text or category); every entry when left out'),
  activeWithinHours: z.number().positive().max(24 * 90).default(24).describe('How long after its last update an entry that is not marked resolved counts as active'),
  effect: z.enum(['degraded', 'down']).default('degraded').describe('What an active matching entry means for this component'),
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(64 * 1024 * 1024, { message: 'must be at most 67108864 (64 MiB)' })
    .default(4 * 1024 * 1024)
    .describe('How much of the feed is read (default 4 MiB); a longer feed is unreadable, not cut'),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(30).max(86_400).default(300),
  regions: z.array(Id).optional(),
});
export type FeedCheck = z.infer<typeof FeedCheck>;

/** The name of an environment variable: where a secret is read from, never the secret itself. */
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: 'must name an environment variable in upper case (e.g. "SLACK_ONCALL_URL"); secrets are never written in the config' });

/** Microsoft 365 service health from Microsoft Graph, read with an app registration's client credentials. */
export const GraphCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('graph'),
  tenantId: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, { message: 'must be the tenant id (a GUID) or its domain (e.g. "kommune.onmicrosoft.com")' }),
  clientIdEnv: EnvName.describe("The environment variable that holds the app registration's client id"),
  clientSecretEnv: EnvName.describe("The environment variable that holds the app registration's client secret"),
  service: z.string().min(1).describe('The service as Graph names it (e.g. "Exchange Online") or its id (e.g. "Exchange")'),
  features: z
    .array(z.string().trim().min(1))
    .default([])
    .describe("Only issues of these features or feature groups (e.g. \"E-Mail and calendar access\") count, and they alone decide the state; the service's overall status when left out"),
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(64 * 1024 * 1024, { message: 'must be at most 67108864 (64 MiB)' })
    .default(16 * 1024 * 1024)
    .describe('How much of each Graph answer is read (default 16 MiB)'),
  timeoutMs: z.int().min(1000, { message: 'must be at least 1000 ms; a token and a service health read take a moment' }).max(120_000).default(15_000),
  intervalSeconds: z.int().min(60).max(86_400).default(300),
  regions: z.array(Id).optional(),
  authorityUrl: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).default('https://login.microsoftonline.com').describe('The Microsoft identity platform to get tokens from (another one for a national cloud)'),
  graphUrl: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).default('https://graph.microsoft.com').describe('The Graph endpoint to read (another one for a national cloud)'),
});
export type GraphCheck = z.infer<typeof GraphCheck>;

/** A host name or an IP address to connect to: no scheme, no port, no path. */
const Host = z
  .string()
  .refine((host) => isIP(host) !== 0 || HOST_NAME.test(host), { message: 'must be a host name or an IP address without scheme or port (e.g. "ldap.kommune.dk" or "10.0.0.5")' });
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const Port = z.int({ message: 'must be a port number from 1 to 65535 (e.g. 636 for LDAPS)' }).min(1, { message: 'must be a port number from 1 to 65535' }).max(65_535, { message: 'must be a port number from 1 to 65535' });

/** A TCP connection to host:port: the service listens and takes connections (a print server, an interface service). */
export const TcpCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('tcp'),
  host: Host,
  port: Port,
  ipFamily: z.enum(['auto', 'ipv4', 'ipv6']).default('auto'),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(1).max(86_400).default(60),
  degradedAfterMs: z.int().min(1).optional().describe('Connect time above which the result is degraded'),
  regions: z.array(Id).optional(),
});
export type TcpCheck = z.infer<typeof TcpCheck>;

/** A TLS handshake on host:port (LDAPS, SMTPS, IMAPS, …), or after STARTTLS on SMTP, judged on the certificate as the https check judges it. */
export const TlsCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('tls'),
  host: Host,
  port: Port,
  starttls: z.enum(['smtp']).optional().describe('"smtp": speak SMTP up to STARTTLS before the handshake (ports 25 and 587); left out: TLS from the first byte (465, 636, 993, …)'),
  serverName: Host.optional().describe('The name the certificate must be valid for (and the SNI sent); defaults to host'),
  ipFamily: z.enum(['auto', 'ipv4', 'ipv6']).default('auto'),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  intervalSeconds: z.int().min(1).max(86_400).default(60),
  degradedAfterMs: z.int().min(1).optional().describe('Time to a finished handshake above which the result is degraded'),
  certExpiryDegradedDays: z.int().min(0).max(365).default(14).describe('Days before the certificate expires from which the result is degraded'),
  regions: z.array(Id).optional(),
});
export type TlsCheck = z.infer<typeof TlsCheck>;

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME'] as const;

/** A DNS name resolves, optionally to the records expected. */
export const DnsCheck = z.strictObject({
  id: Id.optional(),
  kind: z.literal('dns'),
  name: Host.describe('The name to look up, e.g. "mail.kommune.dk"'),
  recordType: z.enum(DNS_RECORD_TYPES).default('A'),
  expected: z
    .array(z.string().min(1, { message: 'must not be empty' }))
    .default([])
    .describe('Records that must be among the answers: addresses for A/AAAA, "10 mx.example.dk" or "mx.example.dk" for MX, the text for TXT, the target name for CNAME'),
  server: z
    .string()
    .refine(isResolverAddress, { message: 'must be a resolver\'s IP address, optionally with a port (e.g. "10.0.0.53", "10.0.0.53:5353" or "[2001:db8::53]:53")' })
    .optional()
    .describe('Ask this resolver; the system resolver (with /etc/hosts for A and AAAA) when left out'),
  timeoutMs: z.int().min(100).max(120_000).default(5_000),
  intervalSeconds: z.int().min(1).max(86_400).default(60),
  regions: z.array(Id).optional(),
});
export type DnsCheck = z.infer<typeof DnsCheck>;

/** 4, 6, or 0 for no IP address (as node:net's isIP, which the status site's bundle cannot import). */
function isIP(text: string): 0 | 4 | 6 {
  if (z.ipv4().safeParse(text).success) return 4;
  return z.ipv6().safeParse(text).success ? 6 : 0;
}

function isResolverAddress(text: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return isIP(bracketed[1]!) === 6 && (bracketed[2] === undefined || Number(bracketed[2]) <= 65_535);
  if (isIP(text) !== 0) return true;
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text);
  return withPort !== null && isIP(withPort[1]!) === 4 && Number(withPort[2]) >= 1 && Number(withPort[2]) <= 65_535;
}

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
  timeoutMs: z.int().min(1000, { message: 'must be at least 1000 ms; CloudWatch needs a moment to answer' }).max(120_000).default(10_000).describe('How long a GetMetricData call may take before the result is unknown (timeout)'),
  intervalSeconds: z.int().min(60).max(86_400).default(60),
  regions: z.array(Id).optional(),
});
export type CloudWatchCheck = z.infer<typeof CloudWatchCheck>;

export const Check = z.discriminatedUnion('kind', [HttpsCheck, StatuspageCheck, FeedCheck, GraphCheck, CloudWatchCheck, TcpCheck, TlsCheck, DnsCheck], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be "https", "statuspage", "feed", "graph", "cloudwatch", "tcp", "tls" or "dns"' : undefined),
});
export type Check = z.infer<typeof Check>;

/** Another component whose trouble shows on this one: typically a third party's service read by a source check. */
export const Dependency = z.strictObject({
  component: Id.describe('Id of the component depended on'),
  effect: z
    .enum(['degraded', 'down'])
    .describe('The least state this component shows while the one it depends on is degraded or down by its own measurements'),
});
export type Dependency = z.infer<typeof Dependency>;

export const Component = z.strictObject({
  id: Id,
  name: LocalizedText,
  description: LocalizedText.optional(),
  slaProfile: Id.optional().describe('Id of an entry in slaProfiles'),
  minFreshRegions: z
    .int()
    .min(1, { message: 'must be at least 1 region' })
    .optional()
    .describe("Regions that must have a fresh result for this component's state; overrides quorum.minFreshRegions"),
  serviceCategory: Id.optional().describe("Id of one of the profile's categories"),
  checks: z.array(Check).default([]),
  dependsOn: z
    .array(Dependency)
    .default([])
    .describe("Components this one depends on: while one is not operational, this one shows at least the dependency's effect, says why, and lists its notices"),
});
export type Component = z.infer<typeof Component>;

export const ComponentGroup = z.strictObject({
  id: Id,
  name: LocalizedText,
  components: z.array(Component).min(1, { message: 'a group needs at least one component' }),
});
export type ComponentGroup = z.infer<typeof ComponentGroup>;

/** A node-cron expression: minute hour day-of-month month weekday (an optional seconds field first). */
export const CronExpression = z.string().refine((e) => isCronExpression(e), { message: 'must be a cron expression of 5 fields (minute hour day month weekday), e.g. "0 8 7 * *" for 08:00 on the 7th' });

export const PageReports = z.strictObject({
  recipients: z.array(z.email({ message: 'must be an e-mail address (e.g. "kontrakt@kommune.dk")' })).min(1, { message: 'needs at least one recipient, e.g. [kontrakt@kommune.dk]' }).describe('Contract recipients of the monthly SLA report'),
  cron: CronExpression.default('0 8 7 * *').describe("When last month's report is mailed, in the SLA profile's time zone (default 08:00 on the 7th)"),
  tertialCron: z
    .union([CronExpression, z.literal(false)])
    .default('0 8 7 1,5,9 *')
    .describe('When the last tertial\'s report (January–April, May–August, September–December) is mailed (default 08:00 on 7 January, May and September); false turns it off'),
  yearlyCron: z.union([CronExpression, z.literal(false)]).default('0 8 7 1 *').describe("When last year's report is mailed (default 08:00 on 7 January); false turns it off"),
  digest: z
    .strictObject({
      cron: CronExpression.default('0 8 * * 1').describe('When the digest is mailed (default 08:00 on Mondays)'),
      days: z.int().min(1, { message: 'must be at least 1 day, e.g. 7 for a weekly digest' }).max(31, { message: 'must be at most 31 days; use the monthly report for longer' }).default(7).describe('The days before the scheduled time the digest covers (7 for a weekly digest, 1 for a daily one)'),
    })
    .optional()
    .describe("A summary mail to the contract recipients: the incidents and service windows of the days before, the windows planned for as many days ahead, and the month's availability so far; off when left out"),
});
/** Where a page's widget may be framed: a scheme and host (and port), nothing more. */
const EmbedOrigin = z
  .string()
  .regex(/^https?:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, { message: 'must be an origin: scheme and lower-case host, optionally a port, no path (e.g. "https://intranet.kommune.dk")' });
/** A host name a page is served at, as a visitor's Host header names it. */
const Hostname = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, { message: 'must be a lower-case host name without scheme, port or path (e.g. "status.kommune.dk")' });

/** A file beside the config (a relative path is read from the config file's folder). */
const SiteFile = z.string().min(1, { message: 'must be the path of an image file, e.g. "branding/logo.svg" (relative to the config file)' });
const Phone = z.string().regex(/^\+?[0-9 ()-]{6,20}$/, { message: 'must be a phone number, e.g. "+45 12 34 56 78"' });

/**
 * What the public pages show of their owner: logo, favicon, contact and
 * footer links. Set on an organisation for all its pages, or on a page;
 * a page's own fields win, field by field. The files are checked when the
 * config is loaded (see site-files.ts).
 */
export const Branding = z.strictObject({
  logo: z
    .strictObject({
      file: SiteFile.describe('PNG, SVG, WebP or JPEG, at most 256 KB'),
      alt: LocalizedText.optional().describe("What the logo says, for screen readers; the organisation's name when left out"),
    })
    .optional()
    .describe('Shown in the header of every public page, served by Statusvakt at /branding/{pageId}/logo.{ext}'),
  favicon: SiteFile.optional().describe('PNG, SVG, WebP, JPEG or ICO, at most 256 KB; a default icon when left out'),
  contact: z
    .strictObject({
      email: z.email({ message: 'must be an e-mail address residents may write to, e.g. "it-support@kommune.dk"' }).optional(),
      phone: Phone.optional(),
      url: z.url({ protocol: /^https?$/, message: 'must be an http(s):// address, e.g. "https://kommune.dk/kontakt"' }).optional(),
    })
    .optional()
    .describe('Contact shown in the footer of every public page'),
  links: z
    .array(
      z.strictObject({
        label: LocalizedText,
        url: z.url({ protocol: /^https?$/, message: 'must be an http(s):// address, e.g. "https://kommune.dk/privatliv"' }),
      }),
    )
    .max(20, { message: 'at most 20 footer links; link a page that lists the rest' })
    .optional()
    .describe('Extra links in the footer (privacy, the main site, …)'),
});
export type Branding = z.infer<typeof Branding>;

export const StatusPage = z.strictObject({
  id: Id,
  organisation: Id.describe('Id of an entry in organisations'),
  name: LocalizedText,
  defaultLanguage: Language.default('da'),
  languages: z.array(Language).min(1).default(['da', 'en']),
  timeZone: TimeZone.default('Europe/Copenhagen'),
  autoPublishRegistered: z.boolean().default(true).describe('Publish the "registered" message for A and B faults within a minute of detection'),
  recentlyResolvedHours: z
    .number({ message: 'must be a whole number of hours, such as 24' })
    .multipleOf(1, { message: 'must be a whole number of hours, such as 24' })
    .min(0, { message: 'must be 0 (resolved incidents leave the front page at once) or more hours' })
    .max(720, { message: 'must be at most 720 hours (30 days); older incidents are in the history' })
    .default(24)
    .describe('Hours a resolved incident stays on the front page under "recently resolved"'),
  accessibility: z
    .strictObject({
      email: z.email({ message: 'must be the e-mail address that takes accessibility feedback, e.g. "tilgaengelighed@kommune.dk"' }),
      phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, { message: 'must be a phone number, e.g. "+45 12 34 56 78"' }).optional(),
      url: z.url({ protocol: /^https$/, message: 'must be an https:// address of a feedback form' }).optional(),
      reviewed: z.iso.date({ message: 'must be the date the statement was last reviewed, as YYYY-MM-DD' }).optional(),
    })
    .optional()
    .describe('The accessibility statement: where visitors report barriers (Web Accessibility Directive)'),
  groups: z.array(ComponentGroup).min(1, { message: 'a page needs at least one component group' }),
  reports: PageReports.optional().describe('The monthly SLA report by mail, with the CSV and the statements attached'),
  embedOrigins: z.array(EmbedOrigin).max(50).default([]).describe('Sites that may show this page\'s widget (/pages/{id}/widget/) in an iframe; every other address refuses framing'),
  hostnames: z.array(Hostname).max(50).default([]).describe('Host names at which this page is the front page (/), besides its /pages/{id}/ address; each host name belongs to one page'),
  branding: Branding.optional().describe("Logo, favicon, contact and footer links of this page; each field left out comes from its organisation's branding"),
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
  lateResultsGraceHours: z
    .number()
    .min(0, { message: 'must be 0 or more hours (e.g. 48)' })
    .max(744, { message: 'must be at most 744 hours (31 days), e.g. 48' })
    .default(48)
    .describe('Hours after the newest late result of a final month before its statements get a new version with the reason "late results" (so a replayed backlog makes one version)'),
});
export type SlaProfile = z.infer<typeof SlaProfile>;

/** What an operator can be alerted about. */
export const ALERT_EVENTS = [
  'component_down',
  'component_degraded',
  'component_up',
  'incident_opened',
  'incident_resolved',
  'incident_unacknowledged',
  'communication_due',
  'communication_overdue',
  'reaction_near',
  'reaction_breached',
  'window_overrunning',
  'certificate_expiring',
  'region_silent',
  'region_unhealthy',
  'cloudwatch_credentials',
  'third_party_notice',
] as const;
export const AlertEvent = z.enum(ALERT_EVENTS);
export type AlertEvent = z.infer<typeof AlertEvent>;

/** Where an alert goes. Secret URLs and signing keys are named by environment variable, never written here. */
export const AlertChannel = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('email'),
      addresses: z.array(z.email({ message: 'must be an e-mail address (e.g. "vagt@kommune.dk")' })).default([]),
      accounts: z.array(z.email()).default([]).describe("E-mail addresses of operator accounts (`statusvakt user add`); an account that is gone or disabled is skipped"),
    }),
    z.strictObject({
      kind: z.literal('webhook'),
      url: z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL' }),
      secretEnv: EnvName.describe('Environment variable holding the HMAC-SHA256 signing secret (header X-Statusvakt-Signature)'),
    }),
    z.strictObject({ kind: z.literal('slack'), urlEnv: EnvName.describe('Environment variable holding the Slack incoming-webhook URL') }),
    z.strictObject({ kind: z.literal('teams'), urlEnv: EnvName.describe('Environment variable holding the Microsoft Teams incoming-webhook URL'), format: z.enum(['messagecard', 'adaptivecard']).default('adaptivecard') }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown channel: kind must be "email", "webhook", "slack" or "teams"' : undefined) },
);
export type AlertChannel = z.infer<typeof AlertChannel>;

/** Which events, for which priorities and components, go to which channels. */
export const AlertRoute = z.strictObject({
  id: Id.describe('Names the route, e.g. in `statusvakt alerts test ROUTE`'),
  events: z.array(AlertEvent).min(1, { message: 'needs at least one event, e.g. [component_down, component_up]' }),
  priorities: z.array(z.enum(['A', 'B', 'C', 'D'])).min(1).default(['A', 'B', 'C', 'D']).describe('Incident priorities (component_down counts as A, component_degraded as B)'),
  components: z.array(Id).optional().describe("Only these components; all of the organisation's when left out"),
  dueInMinutes: Minutes.default(10).describe('communication_due: minutes before a communication step falls due'),
  reactionNearMinutes: Minutes.default(10).describe('reaction_near: minutes before the reaction deadline'),
  certificateDays: z.int().min(1).max(365).default(14).describe('certificate_expiring: days before a certificate expires'),
  repeatEveryMinutes: Minutes.default(30).describe('incident_unacknowledged: repeat for an open A incident at this interval until it is acknowledged'),
  channels: z.array(AlertChannel).min(1, { message: 'needs at least one channel, e.g. [{ kind: email, addresses: ["vagt@kommune.dk"] }]' }),
});
export type AlertRoute = z.infer<typeof AlertRoute>;

export const Organisation = z.strictObject({
  id: Id,
  name: z.string().min(1),
  alertRoutes: z.array(AlertRoute).default([]).describe('Operator alerts of this organisation'),
  branding: Branding.optional().describe('Logo, favicon, contact and footer links of all this organisation\'s pages'),
});

export const Region = z.strictObject({
  id: Id,
  name: LocalizedText.optional().describe('What visitors read, e.g. "Copenhagen" or { da: København, en: Copenhagen }; the id when left out'),
});

/** How many regions must agree to be heard: the state of a component needs fresh results from at least this many. */
export const Quorum = z.strictObject({
  minFreshRegions: z
    .int()
    .min(1, { message: 'must be at least 1 region' })
    .optional()
    .describe(
      "Regions that must have a fresh result for a component's state; with fewer it is unknown. Default: a majority of the regions that run the component's checks (1 of 1, 2 of 2, 2 of 3). Capped at those regions",
    ),
});
export type Quorum = z.infer<typeof Quorum>;

/** How automatic incidents gather failures. */
export const IncidentGrouping = z.strictObject({
  groupWithinMinutes: z
    .number({ message: 'must be a number of minutes, such as 2' })
    .min(0, { message: 'must be 0 (only components of the same group share an incident) or more minutes, such as 2' })
    .max(60, { message: 'must be at most 60 minutes; failures further apart are separate incidents (e.g. 2)' })
    .default(2)
    .describe('Failures of components in different groups that begin within this many minutes of an automatic incident share it; components of the same group always do'),
});
export type IncidentGrouping = z.infer<typeof IncidentGrouping>;

/** How long raw probe results are kept; states, SLA figures and hourly rollups are kept for good. */
export const Retention = z.strictObject({
  rawResultsDays: z
    .int({ message: 'must be a whole number of days, such as 90' })
    .min(7, { message: 'must be at least 7 days (e.g. 90)' })
    .max(3650, { message: 'must be at most 3650 days (10 years), e.g. 90' })
    .default(DEFAULT_RAW_RESULTS_DAYS)
    .describe('Days of raw probe results kept; whole UTC days older than this are dropped, and a result older than this is refused at ingest'),
});
export type Retention = z.infer<typeof Retention>;

export const StatusvaktConfig = z.strictObject({
  regions: z.array(Region).min(1).default([{ id: 'local' }]).describe('Probe regions; the in-process probe of `statusvakt start` is the first'),
  quorum: Quorum.optional().describe('The minimum of regions a state verdict needs'),
  organisations: z.array(Organisation).min(1, { message: 'needs at least one organisation' }),
  calendars: z.array(Calendar).default([]),
  slaProfiles: z.array(SlaProfile).default([]),
  pages: z.array(StatusPage).min(1, { message: 'needs at least one status page' }),
  retention: Retention.optional().describe(`How long raw probe results are kept (default ${DEFAULT_RAW_RESULTS_DAYS} days); it must cover every SLA profile's open month, report day and late-results grace`),
  incidents: IncidentGrouping.optional().describe('How automatic incidents group failures (default: within 2 minutes, or the same component group)'),
  jobs: z
    .strictObject({
      timeZone: TimeZone.default('Europe/Copenhagen').describe('Time zone of the jobs below (a page report runs in its page\'s time zone)'),
      purgeSubscriptions: CronExpression.default('30 3 * * *').describe('Deletes subscriptions never confirmed within 7 days'),
    })
    .optional()
    .describe('Scheduled jobs (defaults when left out: purge at 03:30 Europe/Copenhagen); each runs once per scheduled time however many replicas run'),
});
export type StatusvaktConfig = z.infer<typeof StatusvaktConfig>;
