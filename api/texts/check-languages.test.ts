import { describe, expect, it } from 'vitest';
import { checkTextLanguages, withoutEmptyLanguages } from './check-languages.ts';

describe('per-language texts', () => {
  it('drops languages left empty', () => {
    expect(withoutEmptyLanguages({ da: ' Opgradering ', en: '  ', sv: '' })).toEqual({ da: 'Opgradering' });
  });

  it('refuses a language the page does not offer, naming it and the ones it does', () => {
    expect(() => checkTextLanguages({ field: 'title', text: { da: 'Opgradering', de: 'Aktualisierung' }, languages: ['da', 'en'] })).toThrow('title: no page here offers de; write it in da, en');
  });

  it('refuses a text written in no language, and passes a plain string', () => {
    expect(() => checkTextLanguages({ field: 'description', text: {}, languages: ['da', 'en'] })).toThrow('description: write it in at least one language (da, en)');
    expect(() => checkTextLanguages({ field: 'title', text: 'Upgrade', languages: ['da'] })).not.toThrow();
    expect(() => checkTextLanguages({ field: 'title', text: { en: 'Upgrade' }, languages: ['da', 'en'] })).not.toThrow();
  });
});
