import { describe, expect, it } from 'vitest';
import { sla } from '../api/index.ts';
import { MAIL_LANGUAGES, REPORT_MESSAGES } from '../alerts/index.ts';
import { FAILURE_REASONS } from '../probe/index.ts';
import { CATALOGUES } from '../status-site/src/i18n/messages.ts';

describe('message catalogues', () => {
  it.each(Object.keys(CATALOGUES))('%s has a text for every failure reason a probe can report', (language) => {
    const catalogue = CATALOGUES[language as keyof typeof CATALOGUES] as Record<string, string>;
    const missing = FAILURE_REASONS.filter((reason) => !catalogue[`reason_${reason}`]);
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(CATALOGUES))('%s explains every failure reason in plain words, for residents', (language) => {
    const catalogue = CATALOGUES[language as keyof typeof CATALOGUES] as Record<string, string>;
    const missing = FAILURE_REASONS.filter((reason) => !catalogue[`explain_${reason}`]);
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(CATALOGUES))('%s names every reason an exclusion can have, for the SLA report', (language) => {
    const catalogue = CATALOGUES[language as keyof typeof CATALOGUES] as Record<string, string>;
    const missing = sla.EXCLUSION_REASONS.filter((reason) => !catalogue[`exclusion_${reason}`]);
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(CATALOGUES).filter((l) => l !== 'en'))('%s has its own text for every SLA report and response-time key, not a copy of the English', (language) => {
    const catalogue = CATALOGUES[language as keyof typeof CATALOGUES] as Record<string, string>;
    const english = CATALOGUES.en as Record<string, string>;
    // words some languages share with English: force majeure everywhere, "No" in Italian
    const shared = new Set(['exclusion_force_majeure', 'reportMetNo']);
    const keys = Object.keys(english).filter((k) => /^(report|latency|exclusion_)/.test(k) && !shared.has(k));
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => !catalogue[k]?.trim())).toEqual([]);
    expect(keys.filter((k) => catalogue[k] === english[k])).toEqual([]);
  });

  it('has the same keys in every language', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const catalogue of Object.values(CATALOGUES)) expect(Object.keys(catalogue).sort()).toEqual(keys);
  });

  it.each(MAIL_LANGUAGES)('the %s report mail names every reason an exclusion can have', (language) => {
    const catalogue = REPORT_MESSAGES[language] as Record<string, string>;
    const missing = sla.EXCLUSION_REASONS.filter((reason) => !catalogue[`exclusion_${reason}`]?.trim());
    expect(missing).toEqual([]);
  });

  it.each(MAIL_LANGUAGES)('the %s report mail words each exclusion reason as the report page does', (language) => {
    const mail = REPORT_MESSAGES[language] as Record<string, string>;
    const site = CATALOGUES[language] as Record<string, string>;
    expect(sla.EXCLUSION_REASONS.filter((reason) => mail[`exclusion_${reason}`] !== site[`exclusion_${reason}`])).toEqual([]);
  });
});
