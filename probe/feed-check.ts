import { performance } from 'node:perf_hooks';
import type { FeedCheck } from '../config/index.ts';
import type { CheckResult, FailureReason, ThirdPartyNotice } from './contract.ts';
import type { CheckTarget, HttpsCheckOptions } from './https-check.ts';
import { humanText } from './classify-error.ts';
import { activeEntries } from './feed-activity.ts';
import { decodeXml, parseFeed, type FeedEntry } from './feed-entries.ts';
import { cutNote, readSourceDocument } from './read-source.ts';

const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/**
 * Reads a provider's RSS or Atom status feed. Entries that concern this
 * component (`match`) and are active (not marked resolved, updated within
 * `activeWithinHours`) make it `effect`, and are reported as notices; with
 * none it is up and the notice list is empty. A feed that cannot be fetched
 * or parsed is `unknown`: it does not vote.
 */
export async function runFeedCheck(check: FeedCheck, target: CheckTarget, options: HttpsCheckOptions = {}): Promise<CheckResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const base = { id: (options.newId ?? (() => crypto.randomUUID()))(), ...target, startedAt: startedAt.toISOString() };
  const t0 = performance.now();
  try {
    const url = new URL(check.url);
    const document = await readSourceDocument({ url, accept: ACCEPT, what: 'feed', timeoutMs: check.timeoutMs, maxBodyBytes: check.maxBodyBytes, trustedCa: options.trustedCa });
    const durationMs = performance.now() - t0;
    const unknown = (reason: FailureReason, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, outcome: 'unknown', reason, durationMs, phasesMs: document.phasesMs, message: message.slice(0, 500), ...extra });
    if (!document.ok) {
      return unknown(document.reason, document.message, { ...(document.certificate ? { certificate: document.certificate } : {}), ...(document.httpStatus ? { httpStatus: document.httpStatus } : {}) });
    }
    // a cut feed may still parse up to a closing tag by chance; its missing entries would read as "nothing reported"
    if (document.truncated) return unknown('upstream_unreadable', `the feed is not readable${cutNote(true, check.maxBodyBytes)}`, { httpStatus: 200 });
    const feed = parseFeed(decodeXml(document.bytes), url);
    if (!feed.ok) return unknown('upstream_unreadable', feed.message, { httpStatus: 200 });
    const active = activeEntries({ entries: feed.entries, feedUpdatedAt: feed.feedUpdatedAt, keywords: check.match, activeWithinHours: check.activeWithinHours, now: now() });
    const notices = active.map((entry) => toNotice(entry, check.effect));
    const found = { ...base, durationMs, httpStatus: 200, phasesMs: document.phasesMs, certificate: document.certificate, notices };
    if (active.length === 0) return { ...found, outcome: 'up' };
    const reason: FailureReason = check.effect === 'down' ? 'upstream_outage' : 'upstream_degraded';
    const more = active.length > 1 ? ` and ${active.length - 1} more` : '';
    return { ...found, outcome: check.effect, reason, message: `the feed reports "${active[0]!.title || active[0]!.id}"${more}`.slice(0, 500) };
  } catch (error) {
    return { ...base, outcome: 'unknown', reason: 'probe_error', durationMs: performance.now() - t0, message: `the check failed inside the probe: ${humanText(error)}`.slice(0, 500) };
  }
}

function toNotice(entry: FeedEntry, effect: FeedCheck['effect']): ThirdPartyNotice {
  const startsAt = entry.publishedAt ?? entry.updatedAt;
  return {
    externalId: entry.id,
    kind: 'incident',
    impact: effect,
    // the contract needs a title; an entry without one is named by its text
    title: entry.title || entry.body.split('\n')[0]!.slice(0, 200) || entry.id,
    ...(entry.body ? { body: entry.body } : {}),
    ...(entry.url ? { url: entry.url } : {}),
    ...(startsAt ? { startsAt } : {}),
    ...(entry.updatedAt ? { updatedAt: entry.updatedAt } : {}),
  };
}
