import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect, measure, normalize, subtract, union, type Interval } from './interval-set.ts';

const arbSet = fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 })), { maxLength: 12 }).map((pairs) => normalize(pairs.map(([start, length]) => ({ start, end: start + length }))));
const contains = (set: Interval[], t: number) => set.some((i) => i.start <= t && t < i.end);

describe('interval sets', () => {
  it('merges overlapping and touching intervals, and drops empty ones', () => {
    expect(normalize([{ start: 5, end: 8 }, { start: 0, end: 3 }, { start: 3, end: 4 }, { start: 7, end: 10 }, { start: 12, end: 12 }])).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 10 },
    ]);
  });

  it('subtracts and intersects', () => {
    const a = [{ start: 0, end: 10 }, { start: 20, end: 30 }];
    const b = [{ start: 5, end: 25 }];
    expect(subtract(a, b)).toEqual([{ start: 0, end: 5 }, { start: 25, end: 30 }]);
    expect(intersect(a, b)).toEqual([{ start: 5, end: 10 }, { start: 20, end: 25 }]);
  });

  it('agrees with pointwise set algebra (property)', () => {
    fc.assert(
      fc.property(arbSet, arbSet, fc.integer({ min: 0, max: 1100 }), (a, b, t) => {
        expect(contains(union(a, b), t)).toBe(contains(a, t) || contains(b, t));
        expect(contains(intersect(a, b), t)).toBe(contains(a, t) && contains(b, t));
        expect(contains(subtract(a, b), t)).toBe(contains(a, t) && !contains(b, t));
      }),
    );
  });

  it('measures so that |a| = |a − b| + |a ∩ b| (property)', () => {
    fc.assert(fc.property(arbSet, arbSet, (a, b) => measure(a) === measure(subtract(a, b)) + measure(intersect(a, b))));
  });
});
