import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LANGUAGES, counted, translator, type Catalogue } from './index.ts';

// every catalogue file of the console, so a new one is checked without being listed here
const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts');
const catalogues = await Promise.all(
  files.map(async (file) => {
    const exported = Object.values(await import(`./${file}`)) as Catalogue<string>[];
    return exported.filter((value) => typeof value === 'object' && value !== null && 'en' in value).map((catalogue) => [file, catalogue] as const);
  }),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the console catalogues', () => {
  it('are found', () => {
    expect(catalogues.flat().length).toBeGreaterThan(0);
  });

  it.each(catalogues.flat())('%s: every language has every key, written, with the same placeholders as English', (_file, catalogue) => {
    for (const language of CONSOLE_LANGUAGES) {
      expect(Object.keys(catalogue[language]).sort(), language).toEqual(Object.keys(catalogue.en).sort());
      for (const [key, text] of Object.entries(catalogue[language])) {
        expect(text.trim(), `${language}.${key}`).not.toBe('');
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(catalogue.en[key]!));
      }
    }
  });
});

describe('translator', () => {
  const catalogue = { en: { hello: 'Hello {name}', n_one: 'one thing', n_other: '{count} things' }, da: { hello: 'Hej {name}', n_one: 'én ting', n_other: '{count} ting' } } as unknown as Catalogue<'hello' | 'n_one' | 'n_other'>;

  it('fills placeholders, and leaves one without a value as written', () => {
    expect(translator(catalogue, 'da')('hello', { name: 'Ida' })).toBe('Hej Ida');
    expect(translator(catalogue, 'en')('hello')).toBe('Hello {name}');
  });

  it('counts in words', () => {
    const t = translator(catalogue, 'da');
    expect(counted(t, 'n', 1)).toBe('én ting');
    expect(counted(t, 'n', 0)).toBe('0 ting');
    expect(counted(t, 'n', 7)).toBe('7 ting');
  });
});
