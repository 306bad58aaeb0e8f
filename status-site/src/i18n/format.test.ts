import { describe, expect, it } from 'vitest';
import { formatPercent } from './format.ts';

describe('percentages', () => {
  it('cuts a figure instead of rounding it up, so a missed target never reads as met', () => {
    expect(formatPercent(0.98996, 'en')).toBe('98.99%');
    expect(formatPercent(0.99, 'en')).toBe('99.00%');
    expect(formatPercent(0.99896, 'en')).toBe('99.89%');
    expect(formatPercent(0.999, 'en')).toBe('99.900%');
    // short of 100 % is never "100"
    expect(formatPercent(0.999996, 'en')).toBe('99.999%');
    expect(formatPercent(1, 'en')).toBe('100%');
    expect(formatPercent(0.98996, 'da')).toBe('98,99\u00a0%');
  });
});
