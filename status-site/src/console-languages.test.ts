import { describe, expect, it } from 'vitest';
import { defaultFirst, fallbackSentence, missingLanguages, readLanguageFields, writtenOnly } from './console-languages.ts';

describe('per-language text fields', () => {
  it('reads one field per language and keeps only the written ones for the API', () => {
    const form = new FormData();
    form.set('text.da', '  Vi arbejder på det ');
    form.set('text.en', '   ');
    const texts = readLanguageFields(form, 'text', ['da', 'en', 'sv']);
    expect(texts).toEqual({ da: '  Vi arbejder på det ', en: '   ', sv: '' });
    expect(writtenOnly(texts)).toEqual({ da: 'Vi arbejder på det' });
    expect(missingLanguages(texts, ['da', 'en', 'sv'])).toEqual(['en', 'sv']);
  });

  it('says which readers fall back to which language', () => {
    expect(fallbackSentence([], 'en')).toBe('');
    expect(fallbackSentence(['da'], 'en')).toBe('Danish readers see the English text, marked as English.');
    expect(fallbackSentence(['da', 'sv', 'it'], 'en')).toBe('Danish, Swedish and Italian readers see the English text, marked as English.');
    expect(fallbackSentence(['en', 'da'], 'en')).toMatch(/^English and Danish not written/);
  });

  it('puts the default language first', () => {
    expect(defaultFirst({ defaultLanguage: 'da', languages: ['en', 'da', 'sv'] })).toEqual(['da', 'en', 'sv']);
  });
});

describe('the language sentences in the console’s language', () => {
  it('names the languages and lists them the way each console language does', () => {
    expect(fallbackSentence(['en'], 'da', 'da')).toBe('Læsere på engelsk ser teksten på dansk, markeret som dansk.');
    expect(fallbackSentence(['en', 'sv'], 'da', 'it')).toBe('Chi legge in inglese e svedese vede il testo in danese, indicato come danese.');
    expect(fallbackSentence(['da', 'en'], 'da', 'sv')).toMatch(/^Inte skrivet på danska och engelska:/);
  });
});
