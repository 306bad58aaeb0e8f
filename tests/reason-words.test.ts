import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS } from '../probe/index.ts';
import { CATALOGUES, type SiteLanguage } from '../status-site/src/i18n/messages.ts';
import { reasonWords } from '../status-site/src/i18n/reason-words.ts';

const LANGUAGES = Object.keys(CATALOGUES) as SiteLanguage[];

describe("residents' words for the probe's failure reasons", () => {
  it('covers all five languages', () => {
    expect(LANGUAGES.sort()).toEqual(['da', 'en', 'it', 'nb', 'sv']);
  });

  it.each(LANGUAGES)('%s has a plain sentence, unlike the technical reason, for every reason in the vocabulary', (language) => {
    const catalogue = CATALOGUES[language] as Record<string, string>;
    const lacking = FAILURE_REASONS.filter((reason) => !catalogue[`explain_${reason}`]);
    expect(lacking).toEqual([]);
    for (const reason of FAILURE_REASONS) {
      const words = reasonWords(reason, language, 503);
      // a sentence: a capital first, a full stop last, no code and no placeholder left in it
      expect(words.plain, `${language} ${reason}`).toMatch(/^\p{Lu}.*[.!]$/u);
      expect(words.plain).not.toContain(reason);
      expect(words.plain).not.toMatch(/[{}]/);
      expect(words.technical).not.toBe(words.plain);
      expect(words.technical).not.toMatch(/[{}]/);
    }
  });

  it.each(LANGUAGES)('%s says a different sentence for each reason of the HTTPS vocabulary', (language) => {
    const https = ['dns', 'connect_refused', 'tls_expired', 'tls_hostname', 'timeout', 'reset', 'http_status', 'too_slow', 'body_mismatch'];
    expect(https.every((r) => (FAILURE_REASONS as readonly string[]).includes(r))).toBe(true);
    const sentences = new Set(https.map((reason) => reasonWords(reason, language, null).plain));
    expect(sentences.size).toBe(https.length);
  });

  it('puts the HTTP status in the technical reason, and leaves no empty brackets without one', () => {
    expect(reasonWords('http_status', 'en', 503).technical).toBe('error answer (HTTP 503)');
    expect(reasonWords('http_status', 'da', 500).technical).toBe('fejlsvar (HTTP 500)');
    expect(reasonWords('http_status', 'en', null).technical).toBe('error answer');
  });

  it('gives a reason no catalogue knows (from a newer probe) a plain sentence, and the code as its technical reason', () => {
    expect(reasonWords('quantum_flux', 'sv', null)).toEqual({ plain: CATALOGUES.sv.explainOther, technical: 'quantum_flux' });
    expect(reasonWords('quantum_flux', 'it', null).plain).toBe('Il servizio non funziona come dovrebbe.');
  });
});
