/**
 * Sets of instants as sorted, disjoint, half-open intervals [start, end) in
 * epoch milliseconds. Half-open so adjacent intervals never count an instant
 * twice; every function returns a normalised set.
 */
export type Interval = { readonly start: number; readonly end: number };
export type IntervalSet = readonly Interval[];

/** Sorts, drops empty intervals and merges overlapping or touching ones. */
export function normalize(intervals: Iterable<Interval>): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out.at(-1);
    if (last && next.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, next.end) };
    else out.push({ start: next.start, end: next.end });
  }
  return out;
}

export function union(...sets: IntervalSet[]): Interval[] {
  return normalize(sets.flat());
}

/** Instants in both sets. Inputs must be normalised. */
export function intersect(a: IntervalSet, b: IntervalSet): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (end > start) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

/** Instants in `a` but not in `b`. Inputs must be normalised. */
export function subtract(a: IntervalSet, b: IntervalSet): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const interval of a) {
    let start = interval.start;
    while (j < b.length && b[j]!.end <= start) j++;
    let k = j;
    while (k < b.length && b[k]!.start < interval.end) {
      if (b[k]!.start > start) out.push({ start, end: b[k]!.start });
      start = Math.max(start, b[k]!.end);
      k++;
    }
    if (start < interval.end) out.push({ start, end: interval.end });
  }
  return out;
}

/** Total length in milliseconds. */
export function measure(set: IntervalSet): number {
  return set.reduce((sum, i) => sum + (i.end - i.start), 0);
}

export function interval(start: Date | number, end: Date | number): Interval {
  return { start: typeof start === 'number' ? start : start.getTime(), end: typeof end === 'number' ? end : end.getTime() };
}
