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

export const PhasesMs = z.object({
  dns: z.number().nonnegative().optional(),
  connect: z.number().nonnegative().optional(),
  tls: z.number().nonnegative().optional(),
  firstByte: z.number().nonnegative().optional(),
  transfer: z.number().nonnegative().optional(),
});
export type PhasesMs = z.infer<typeof PhasesMs>;

export const CertificateInfo = z.object({
  subject: z.string(),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  sha256Fingerprint: z.string(),
  chainVerified: z.boolean(),
  /** OpenSSL's reason when the chain or host name did not verify. */
  verifyError: z.string().optional(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

export const CheckResult = z.object({
  /** Chosen by the probe (UUID), so a replayed result is stored once. */
  id: z.uuid(),
  componentId: z.string().min(1).max(64),
  checkId: z.string().min(1).max(64),
  regionId: z.string().min(1).max(64),
  startedAt: z.iso.datetime({ offset: true }),
  outcome: Outcome,
  reason: FailureReason.optional(),
  durationMs: z.number().nonnegative(),
  httpStatus: z.int().min(100).max(599).optional(),
  phasesMs: PhasesMs.optional(),
  certificate: CertificateInfo.optional(),
  /** A short human-readable detail, e.g. the error text. */
  message: z.string().max(500).optional(),
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
