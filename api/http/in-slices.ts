/**
 * Work on large pages done in slices of a few milliseconds, giving the thread
 * back to waiting requests between them. With the embedded database the
 * serving thread also runs every query, so a 1,000-component page's 90 days
 * (about 10 MB of JSON, some 30 ms to serialise at once) would otherwise hold
 * every visitor's request for that long whenever the kept pages refresh.
 */
const SLICE_MS = 4;

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock that says when a slice is used up; `breathe` then yields and starts the next. */
function sliceClock(sliceMs: number) {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await yieldToRequests();
    sliceStart = performance.now();
  };
}

/** `items.map(fn)`, yielding whenever a slice is used up. */
export async function mapInSlices<T, U>(items: readonly T[], fn: (item: T) => U, sliceMs = SLICE_MS): Promise<U[]> {
  const breathe = sliceClock(sliceMs);
  const out: U[] = [];
  for (const item of items) {
    out.push(fn(item));
    await breathe();
  }
  return out;
}

/**
 * Exactly `JSON.stringify(value)` for data (no replacer, no indent), made in
 * slices: arrays and objects are walked `depth` levels deep and what lies
 * below is serialised whole, yielding between array elements.
 */
export async function stringifyInSlices(value: unknown, args: { depth?: number; sliceMs?: number } = {}): Promise<string> {
  const breathe = sliceClock(args.sliceMs ?? SLICE_MS);
  const parts: string[] = [];
  const walk = async (v: unknown, depth: number): Promise<void> => {
    if (depth === 0 || v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      // what JSON.stringify writes for undefined, a function or a symbol inside an array
      parts.push(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(',');
        await walk(v[i], depth - 1);
        await breathe();
      }
      parts.push(']');
      return;
    }
    parts.push('{');
    let first = true;
    for (const [key, member] of Object.entries(v)) {
      // members JSON.stringify leaves out of an object
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      parts.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      await walk(member, depth - 1);
    }
    parts.push('}');
  };
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') throw new TypeError('stringifyInSlices: nothing to serialise');
  await walk(value, args.depth ?? 4);
  return parts.join('');
}
