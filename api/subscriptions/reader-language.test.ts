import { describe, expect, it } from 'vitest';
import { readerLanguage } from './reader-language.ts';

describe('readerLanguage', () => {
  it.each([
    { carried: 'da', acceptLanguage: 'en', expected: 'da' },
    { carried: 'xx', acceptLanguage: 'sv-SE,sv;q=0.9', expected: 'sv' },
    { carried: undefined, acceptLanguage: 'da-DK,da;q=0.9,en;q=0.8', expected: 'da' },
    { carried: undefined, acceptLanguage: 'de;q=1, it;q=0.5, en;q=0.7', expected: 'en' },
    { carried: undefined, acceptLanguage: 'no', expected: 'nb' },
    { carried: undefined, acceptLanguage: 'da;q=0, fr', expected: 'en' },
    { carried: undefined, acceptLanguage: undefined, expected: 'en' },
  ])('$carried / $acceptLanguage → $expected', ({ carried, acceptLanguage, expected }) => {
    expect(readerLanguage({ carried, acceptLanguage })).toBe(expected);
  });
});
