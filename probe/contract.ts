import { z } from 'zod';

/**
 * The one contract between probes and the API. A probe never imports the
 * API's code, nor the API the probe's internals: both speak these schemas.
 * Bump CONTRACT_VERSION on any incompatible change.
 */
export const CONTRACT_VERSION = 1;

/** Why a result is not `up`: a fixed vocabulary, so reports and alerts can rely on it. */
export const FAILURE_REASONS = [
  'dns',
  'connect_refused',
  'connect_timeout',
  'network_unreachable',
  'tls_handshake',
  'tls_expired',
  'tls_not_yet_valid',
  'tls_hostname',
  'tls_untrusted',
  'timeout',
  'reset',
  'http_status',
  'body_mismatch',
  'too_many_redirects',
  'insecure_redirect',
  'too_slow',
  'cert_expiring',
  'upstream_degraded',
  'upstream_partial_outage',
  'upstream_outage',
  'upstream_maintenance',
  'upstream_unreadable',
  'metric_threshold',
  'no_data',
  'throttled',
  'access_denied',
  'cloud_error',
  'probe_error',
] as const;
export const FailureReason = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof FailureReason>;

/** `unknown`: the check ran but could not tell (no data, throttled, the status source unreadable); it does not vote. */
export const Outcome = z.enum(['up', 'degraded', 'down', 'unknown']);
export type Outcome = z.infer<typeof Outcome>;

/**
 * Limits of a result's fields. Results carry third-party text (a status
 * page's component names, a certificate's subject, an error message), so the
 * probe trims to these before sending (`sanitiseResult`) and the API rejects
 * a result beyond them rather than letting one bad value fail its batch.
 */
export const RESULT_LIMITS = {
  /** No check runs for a day; anything longer is a broken clock or arithmetic. */
  maxDurationMs: 86_400_000,
  maxMessageChars: 500,
  maxNameChars: 1000,
  maxAltNames: 200,
  maxAltNameChars: 300,
  maxFingerprintChars: 200,
} as const;

/**
 * Text PostgreSQL can store and JSON can carry: no NUL character, no lone
 * UTF-16 surrogate (half of a pair, e.g. from a cut-off emoji), at most `max` characters.
 */
export const SafeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !text.includes('\u0000'), { message: 'contains a NUL character (U+0000); send text without it' })
    .refine((text) => text.isWellFormed(), { message: 'contains a lone UTF-16 surrogate; send well-formed Unicode text' });

/** An ISO instant in years 1–9999, which PostgreSQL's timestamptz holds (it refuses year 0). */
const Instant = (options: { offset?: boolean } = {}) =>
  z.iso.datetime(options).refine((text) => Number(text.slice(0, 4)) >= 1, { message: 'year 0 does not exist; send a year from 1 to 9999' });

const Milliseconds = z.number().nonnegative().max(RESULT_LIMITS.maxDurationMs);

export const PhasesMs = z.object({
  dns: Milliseconds.optional(),
  connect: Milliseconds.optional(),
  /** The SMTP dialogue before the handshake (greeting, EHLO, STARTTLS) of a `tls` check with `starttls: smtp`. */
  starttls: Milliseconds.optional(),
  tls: Milliseconds.optional(),
  firstByte: Milliseconds.optional(),
  transfer: Milliseconds.optional(),
});
export type PhasesMs = z.infer<typeof PhasesMs>;

export const CertificateInfo = z.object({
  subject: SafeText(RESULT_LIMITS.maxNameChars),
  issuer: SafeText(RESULT_LIMITS.maxNameChars),
  subjectAltNames: z.array(SafeText(RESULT_LIMITS.maxAltNameChars)).max(RESULT_LIMITS.maxAltNames),
  notBefore: Instant(),
  notAfter: Instant(),
  sha256Fingerprint: SafeText(RESULT_LIMITS.maxFingerprintChars),
  chainVerified: z.boolean(),
  /** OpenSSL's reason when the chain or host name did not verify. */
  verifyError: SafeText(RESULT_LIMITS.maxMessageChars).optional(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

export const NOTICE_LIMITS = {
  maxNotices: 50,
  maxExternalIdChars: 200,
  maxTitleChars: 500,
  maxBodyChars: 4000,
  maxUrlChars: 2000,
} as const;

/**
 * Something a third party says about its own service, as read by a source
 * check (Statuspage, Microsoft Graph service health, an RSS/Atom feed): an
 * incident, an advisory or a planned maintenance. Plain text only (the probe
 * strips markup): it is never trusted as HTML.
 */
export const ThirdPartyNotice = z.object({
  /** The source's own id, stable from one read to the next, so a notice is recognised as the same one. */
  externalId: SafeText(NOTICE_LIMITS.maxExternalIdChars).min(1),
  kind: z.enum(['incident', 'advisory', 'maintenance']),
  /** What it says it means for the service: `none` for an advisory with no effect. */
  impact: z.enum(['none', 'degraded', 'down', 'maintenance']),
  title: SafeText(NOTICE_LIMITS.maxTitleChars).min(1),
  /** Its latest text. */
  body: SafeText(NOTICE_LIMITS.maxBodyChars).optional(),
  /** Where a reader finds the third party's own page about it (http or https). */
  url: SafeText(NOTICE_LIMITS.maxUrlChars).refine((text) => /^https?:\/\//.test(text), { message: 'must be an http(s) URL' }).optional(),
  /** When it began, or, for a maintenance, when it is planned to begin. */
  startsAt: Instant({ offset: true }).optional(),
  /** For a maintenance, when it is planned to end. */
  endsAt: Instant({ offset: true }).optional(),
  /** When the third party last changed it. */
  updatedAt: Instant({ offset: true }).optional(),
});
export type ThirdPartyNotice = z.infer<typeof ThirdPartyNotice>;

export const CheckResult = z.object({
  /** Chosen by the probe (UUID), so a replayed result is stored once. */
  id: z.uuid(),
  componentId: z.string().min(1).max(64),
  checkId: z.string().min(1).max(64),
  regionId: z.string().min(1).max(64),
  startedAt: Instant({ offset: true }),
  outcome: Outcome,
  reason: FailureReason.optional(),
  durationMs: Milliseconds,
  httpStatus: z.int().min(100).max(599).optional(),
  phasesMs: PhasesMs.optional(),
  certificate: CertificateInfo.optional(),
  /** A short human-readable detail, e.g. the error text. */
  message: SafeText(RESULT_LIMITS.maxMessageChars).optional(),
  /**
   * A source check's complete list of what the third party reports as
   * active or upcoming at this read; left out by checks that read no such
   * list. An empty list says that nothing is reported (what was is over).
   */
  notices: z.array(ThirdPartyNotice).max(NOTICE_LIMITS.maxNotices).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const MAX_RESULTS_PER_BATCH = 1000;

export const ResultBatch = z.object({
  version: z.literal(CONTRACT_VERSION),
  regionId: z.string().min(1),
  /** Validated one by one by the API, so one bad result does not sink the rest. */
  results: z.array(z.unknown()).min(1).max(MAX_RESULTS_PER_BATCH),
});
export type ResultBatch = z.infer<typeof ResultBatch>;

export const AssignedCheck = z.object({
  componentId: z.string(),
  checkId: z.string(),
  kind: z.string(),
  intervalSeconds: z.int().positive(),
  spec: z.record(z.string(), z.unknown()),
});
export type AssignedCheck = z.infer<typeof AssignedCheck>;

export const Assignment = z.object({
  version: z.literal(CONTRACT_VERSION),
  regionId: z.string(),
  /** Changes whenever the checks change, so a probe knows to reload. */
  revision: z.string(),
  checks: z.array(AssignedCheck),
});
export type Assignment = z.infer<typeof Assignment>;
