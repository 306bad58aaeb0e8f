import { describe, expect, it } from 'vitest';
import { mapInSlices, stringifyInSlices } from './in-slices.ts';

describe('stringifyInSlices', () => {
  const samples: unknown[] = [
    { page: { id: 'p', name: { da: 'Side "én"', en: 'Page\n<x>' } }, groups: [{ id: 'g', components: [{ id: 'c', uptimeDays: [{ date: '2026-12-01', uptimeRatio: null, upSeconds: 0.5 }], gone: undefined }] }] },
    [1, 'two', null, undefined, () => 3, { a: [[[[[1, [2]]]]]] }],
    { at: new Date(Date.UTC(2026, 11, 7)), nested: { deeper: { deepest: { leaf: [true, false] } } }, empty: {}, none: [] },
    'just a string',
    42,
    null,
    { '\u2028key': '\u2029value', emoji: '😀', lone: '\ud800' },
  ];
  for (const [i, sample] of samples.entries()) {
    it(`writes what JSON.stringify writes (sample ${i + 1})`, async () => {
      expect(await stringifyInSlices(sample)).toBe(JSON.stringify(sample));
      expect(await stringifyInSlices(sample, { depth: 1 })).toBe(JSON.stringify(sample));
      expect(await stringifyInSlices(sample, { depth: 12, sliceMs: 0 })).toBe(JSON.stringify(sample));
    });
  }

  it('gives the thread back while it works on a large value', async () => {
    const big = { groups: [{ components: Array.from({ length: 3000 }, (_, i) => ({ id: `c${i}`, days: Array.from({ length: 90 }, (_, d) => ({ d, up: 86_400 })) })) }] };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const text = await stringifyInSlices(big, { sliceMs: 1 });
    clearInterval(ticker);
    expect(text).toBe(JSON.stringify(big));
    expect(ticks).toBeGreaterThan(3);
  });

  it('refuses a value JSON.stringify would turn into nothing', async () => {
    await expect(stringifyInSlices(undefined)).rejects.toThrow(/nothing to serialise/);
  });
});

describe('mapInSlices', () => {
  it('maps in order and yields between slices', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const out = await mapInSlices(
      Array.from({ length: 2000 }, (_, i) => i),
      (i) => {
        const until = performance.now() + 0.01;
        while (performance.now() < until);
        return i * 2;
      },
      1,
    );
    clearInterval(ticker);
    expect(out).toEqual(Array.from({ length: 2000 }, (_, i) => i * 2));
    expect(ticks).toBeGreaterThan(3);
  });
});
