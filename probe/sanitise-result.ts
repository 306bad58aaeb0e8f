import { NOTICE_LIMITS, RESULT_LIMITS, type CertificateInfo, type CheckResult, type PhasesMs, type ThirdPartyNotice } from './contract.ts';

/**
 * Text from a third party (a status page's component names, a certificate's
 * subject, a server's error) made fit for the contract: control characters
 * other than tab and newline removed, a lone UTF-16 surrogate replaced by
 * U+FFFD, and cut to `maxChars` without splitting a surrogate pair.
 *
 * @example sanitiseText('Login\u0000 \ud800', 500) === 'Login \ufffd'
 */
export function sanitiseText(text: string, maxChars: number): string {
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').toWellFormed();
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * A result as the API will take it: every string sanitised, every time a
 * finite number of milliseconds within the contract's range, rounded to a
 * microsecond (a value like 1e-50 fits no database column). Applied to every
 * result before it leaves the probe, so one odd upstream answer is stored as
 * a readable result instead of being refused.
 */
export function sanitiseResult(result: CheckResult): CheckResult {
  const { message, phasesMs, certificate, notices, ...rest } = result;
  return {
    ...rest,
    durationMs: sanitiseMs(result.durationMs) ?? RESULT_LIMITS.maxDurationMs,
    ...(message === undefined ? {} : { message: sanitiseText(message, RESULT_LIMITS.maxMessageChars) }),
    ...(phasesMs === undefined ? {} : { phasesMs: sanitisePhases(phasesMs) }),
    ...(certificate === undefined ? {} : { certificate: sanitiseCertificate(certificate) }),
    ...(notices === undefined ? {} : { notices: sanitiseNotices(notices) }),
  };
}

/**
 * What the notices of one result may take as JSON. Fifty notices at their
 * longest, in a script of three bytes a character, come near the API's
 * request body limit (1 MiB), and a remote probe sends a result that does
 * not fit on its own nowhere; the provider's first notices are kept.
 */
const MAX_NOTICES_BYTES = 256 * 1024;

/**
 * The first `maxNotices` notices (and no more than MAX_NOTICES_BYTES of them) with their texts cut to the limits. A
 * notice whose id or title is empty once cleaned is left out (the contract
 * needs both), and so is a URL that no longer reads as one after the cut.
 */
function sanitiseNotices(notices: readonly ThirdPartyNotice[]): ThirdPartyNotice[] {
  const out: ThirdPartyNotice[] = [];
  let bytes = 0;
  for (const notice of notices) {
    if (out.length === NOTICE_LIMITS.maxNotices) break;
    const { body, url, ...rest } = notice;
    const externalId = sanitiseText(notice.externalId, NOTICE_LIMITS.maxExternalIdChars);
    const title = sanitiseText(notice.title, NOTICE_LIMITS.maxTitleChars);
    if (externalId === '' || title === '') continue;
    const cleanBody = body === undefined ? '' : sanitiseText(body, NOTICE_LIMITS.maxBodyChars);
    // a cut URL points somewhere else: drop it rather than send a wrong link
    const cleanUrl = url !== undefined && url.length <= NOTICE_LIMITS.maxUrlChars && /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/.test(url) && url.isWellFormed() ? url : undefined;
    const clean: ThirdPartyNotice = { ...rest, externalId, title, ...(cleanBody === '' ? {} : { body: cleanBody }), ...(cleanUrl === undefined ? {} : { url: cleanUrl }) };
    bytes += Buffer.byteLength(JSON.stringify(clean));
    if (bytes > MAX_NOTICES_BYTES) break;
    out.push(clean);
  }
  return out;
}

function sanitiseMs(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  return Math.min(RESULT_LIMITS.maxDurationMs, Math.max(0, Math.round(value * 1000) / 1000));
}

function sanitisePhases(phases: PhasesMs): PhasesMs {
  const out: PhasesMs = {};
  for (const [phase, value] of Object.entries(phases) as [keyof PhasesMs, number | undefined][]) {
    const ms = value === undefined ? undefined : sanitiseMs(value);
    if (ms !== undefined) out[phase] = ms;
  }
  return out;
}

function sanitiseCertificate(certificate: CertificateInfo): CertificateInfo {
  const { verifyError, ...rest } = certificate;
  return {
    ...rest,
    subject: sanitiseText(certificate.subject, RESULT_LIMITS.maxNameChars),
    issuer: sanitiseText(certificate.issuer, RESULT_LIMITS.maxNameChars),
    subjectAltNames: certificate.subjectAltNames.slice(0, RESULT_LIMITS.maxAltNames).map((name) => sanitiseText(name, RESULT_LIMITS.maxAltNameChars)),
    sha256Fingerprint: sanitiseText(certificate.sha256Fingerprint, RESULT_LIMITS.maxFingerprintChars),
    ...(verifyError === undefined ? {} : { verifyError: sanitiseText(verifyError, RESULT_LIMITS.maxMessageChars) }),
  };
}
