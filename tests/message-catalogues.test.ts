import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS } from '../probe/index.ts';
import { CATALOGUES } from '../status-site/src/i18n/messages.ts';

describe('message catalogues', () => {
  it.each(Object.keys(CATALOGUES))('%s has a text for every failure reason a probe can report', (language) => {
    const catalogue = CATALOGUES[language as keyof typeof CATALOGUES] as Record<string, string>;
    const missing = FAILURE_REASONS.filter((reason) => !catalogue[`reason_${reason}`]);
    expect(missing).toEqual([]);
  });

  it('has the same keys in every language', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const catalogue of Object.values(CATALOGUES)) expect(Object.keys(catalogue).sort()).toEqual(keys);
  });
});
