import { describe, expect, it } from 'vitest';
import { CheckResult, RESULT_LIMITS } from './contract.ts';
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
});
