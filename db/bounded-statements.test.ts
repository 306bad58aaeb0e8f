import { describe, expect, it } from 'vitest';
import { chunkByParameters, MAX_PARAMETERS_PER_STATEMENT, rowChunks } from './bounded-statements.ts';
import { checks, evaluationMarks } from './schema/index.ts';

describe('chunkByParameters', () => {
  it.each([
    { items: 0, perItem: 3, max: 30_000, sizes: [] },
    { items: 1, perItem: 3, max: 30_000, sizes: [1] },
    { items: 10_000, perItem: 3, max: 30_000, sizes: [10_000] },
    { items: 10_001, perItem: 3, max: 30_000, sizes: [10_000, 1] },
    { items: 30_000, perItem: 9, max: 30_000, sizes: [...Array<number>(9).fill(3_333), 3] },
    // an item wider than the budget still goes, one a statement
    { items: 2, perItem: 50, max: 30, sizes: [1, 1] },
  ])('$items items of $perItem parameters within $max: chunks of $sizes', ({ items, perItem, max, sizes }) => {
    const list = Array.from({ length: items }, (_, i) => i);
    const chunks = chunkByParameters(list, perItem, max);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(list);
  });

  it('refuses a parameter count that is not a positive integer', () => {
    expect(() => chunkByParameters([1], 0)).toThrow(/parametersPerItem must be a positive integer, got 0/);
    expect(() => chunkByParameters([1], 1.5)).toThrow(/got 1.5/);
  });
});

describe('rowChunks', () => {
  it('counts every column of the table, so no chunk passes the budget', () => {
    const columns = Object.keys(checks).filter((k) => !k.startsWith('_') && typeof (checks as unknown as Record<string, unknown>)[k] === 'object').length;
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ i }));
    const chunks = rowChunks(checks, rows);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length * columns).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT);
    expect(chunks.flat()).toHaveLength(30_000);
    // a narrower table takes more rows a statement
    expect(rowChunks(evaluationMarks, rows)[0]!.length).toBeGreaterThan(chunks[0]!.length);
  });
});
