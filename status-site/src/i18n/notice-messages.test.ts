import { describe, expect, it } from 'vitest';
import { NOTICE_TEXTS, noticeTexts } from './notice-messages.ts';

describe('the third-party notice words', () => {
  it.each(Object.keys(NOTICE_TEXTS).filter((l) => l !== 'en'))('%s has its own text for every key, with the same placeholders as the English', (language) => {
    const texts = NOTICE_TEXTS[language as keyof typeof NOTICE_TEXTS] as Record<string, string>;
    const english = NOTICE_TEXTS.en as Record<string, string>;
    expect(Object.keys(texts).sort()).toEqual(Object.keys(english).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(english)) {
      expect(texts[key]!.trim(), key).not.toBe('');
      expect(placeholders(texts[key]!), key).toEqual(placeholders(english[key]!));
    }
    expect(Object.keys(english).filter((k) => texts[k] === english[k])).toEqual([]);
  });

  it('fills in the values and leaves an unknown one visible', () => {
    expect(noticeTexts('da')('reportsProblem', { name: 'Exchange Online' })).toBe('Exchange Online melder om et problem');
    expect(noticeTexts('en')('lastRead')).toBe('Last read {time}');
  });
});
