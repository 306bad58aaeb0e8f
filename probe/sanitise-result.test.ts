import { describe, expect, it } from 'vitest';
import { CheckResult, NOTICE_LIMITS, RESULT_LIMITS, type ThirdPartyNotice } from './contract.ts';
import { sanitiseResult, sanitiseText } from './sanitise-result.ts';

const base: CheckResult = {
  id: '00000000-0000-4000-8000-000000000001',
  componentId: 'm365',
  checkId: 'statuspage',
  regionId: 'north',
  startedAt: '2026-11-21T12:00:00.000Z',
  outcome: 'down',
  durationMs: 12,
};

describe('sanitiseText', () => {
  it.each([
    ['plain text stays', 'Outlook: major_outage', 'Outlook: major_outage'],
    ['a NUL byte is removed', 'Out\u0000look', 'Outlook'],
    ['other control characters are removed, tab and newline kept', 'a\u0007b\tc\nd\u001be', 'ab\tc\nde'],
    ['a lone high surrogate becomes U+FFFD', 'x\ud800y', 'x\ufffdy'],
    ['a lone low surrogate becomes U+FFFD', 'x\udc00', 'x\ufffd'],
    ['a surrogate pair (emoji) stays', 'ok \ud83d\ude00', 'ok \ud83d\ude00'],
  ])('%s', (_name, input, expected) => {
    expect(sanitiseText(input, 500)).toBe(expected);
  });

  it('cuts to the limit without splitting a surrogate pair', () => {
    expect(sanitiseText('abcd', 3)).toBe('abc');
    expect(sanitiseText('ab\ud83d\ude00', 3)).toBe('ab');
  });
});

describe('sanitiseResult', () => {
  it('turns results the API would refuse into results it takes', () => {
    const poisoned: CheckResult = {
      ...base,
      durationMs: 1e39,
      phasesMs: { connect: Number.NaN, tls: 1e-50, firstByte: 12.3456789 },
      message: `Outlook\u0000: \ud800 ${'x'.repeat(2000)}`,
      certificate: {
        subject: 'CN=a\u0000b',
        issuer: 'y'.repeat(5000),
        subjectAltNames: Array.from({ length: 5000 }, (_, i) => `DNS:h${i}.example\u0000`),
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
        sha256Fingerprint: 'AB',
        chainVerified: false,
        verifyError: 'bad\ud800',
      },
    };
    expect(CheckResult.safeParse(poisoned).success).toBe(false);
    const clean = sanitiseResult(poisoned);
    expect(CheckResult.safeParse(clean).error).toBeUndefined();
    expect(clean.durationMs).toBe(RESULT_LIMITS.maxDurationMs);
    expect(clean.phasesMs).toEqual({ tls: 0, firstByte: 12.346 });
    expect(clean.message).toMatch(/^Outlook: \ufffd x+$/);
    expect(clean.message).toHaveLength(RESULT_LIMITS.maxMessageChars);
    expect(clean.certificate!.subject).toBe('CN=ab');
    expect(clean.certificate!.subjectAltNames).toHaveLength(RESULT_LIMITS.maxAltNames);
    expect(clean.certificate!.subjectAltNames[0]).toBe('DNS:h0.example');
  });

  it('leaves a good result as it was', () => {
    const good: CheckResult = { ...base, outcome: 'up', durationMs: 42.5, httpStatus: 200, phasesMs: { connect: 1.5 } };
    expect(sanitiseResult(good)).toEqual(good);
  });

  it('trims notices to the contract: count, text lengths, ids and titles that clean to nothing, broken links', () => {
    const notice = (i: number): ThirdPartyNotice => ({ externalId: `inc-${i}`, kind: 'incident', impact: 'degraded', title: `Incident ${i}` });
    const poisoned: CheckResult = {
      ...base,
      notices: [
        { ...notice(0), title: `Mail\u0000 delays ${'x'.repeat(900)}`, body: `b\ud800${'y'.repeat(9000)}`, url: `https://status.example.com/${'p'.repeat(3000)}` },
        { ...notice(1), externalId: '\u0000' },
        { ...notice(2), title: '\u0007' },
        { ...notice(3), url: 'https://status.example.com/a\u0000b', body: '\u0000' },
        ...Array.from({ length: 80 }, (_, i) => notice(i + 4)),
      ],
    };
    expect(CheckResult.safeParse(poisoned).success).toBe(false);
    const clean = sanitiseResult(poisoned);
    expect(CheckResult.safeParse(clean).error).toBeUndefined();
    expect(clean.notices).toHaveLength(NOTICE_LIMITS.maxNotices);
    expect(clean.notices![0]!.title).toMatch(/^Mail delays x+$/);
    expect(clean.notices![0]!.title).toHaveLength(NOTICE_LIMITS.maxTitleChars);
    expect(clean.notices![0]!.body).toHaveLength(NOTICE_LIMITS.maxBodyChars);
    expect(clean.notices![0]!.url).toBeUndefined();
    expect(clean.notices![1]).toEqual({ externalId: 'inc-3', kind: 'incident', impact: 'degraded', title: 'Incident 3' });
    expect(clean.notices!.map((n) => n.externalId)).not.toContain('inc-2');
  });

  it('keeps the notices of one result well within the API body limit, even in a script of three bytes a character', () => {
    const long: ThirdPartyNotice = { externalId: 'x', kind: 'incident', impact: 'down', title: '障'.repeat(NOTICE_LIMITS.maxTitleChars), body: '害'.repeat(NOTICE_LIMITS.maxBodyChars) };
    const clean = sanitiseResult({ ...base, notices: Array.from({ length: NOTICE_LIMITS.maxNotices }, (_, i) => ({ ...long, externalId: `inc-${i}` })) });
    expect(Buffer.byteLength(JSON.stringify(clean))).toBeLessThan(300 * 1024);
    expect(clean.notices!.length).toBeGreaterThan(10);
    expect(clean.notices![0]!.externalId).toBe('inc-0');
  });

  it('keeps an empty notice list: it says nothing is reported', () => {
    expect(sanitiseResult({ ...base, notices: [] }).notices).toEqual([]);
  });
});
