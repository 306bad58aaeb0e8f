import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultBuffer, type CheckResult } from '../probe/index.ts';
import { mountSmallDisk, type SmallDisk } from './support/small-disk.ts';

const result = (n: number): CheckResult => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  componentId: 'portal',
  checkId: 'https',
  regionId: 'north',
  startedAt: new Date(Date.UTC(2026, 10, 21, 12, 0, n)).toISOString(),
  outcome: 'up',
  durationMs: n,
  message: 'x'.repeat(200),
});
const ns = (results: CheckResult[]) => results.map((r) => r.durationMs);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

type Line = { level: 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string };
function capture() {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const disk = mountSmallDisk();

describe.skipIf(!disk)('result buffer on a real full disk (a 256 KiB tmpfs)', () => {
  let small: SmallDisk;
  beforeAll(() => {
    small = disk!;
  });
  afterAll(() => small?.unmount());

  it('keeps running and keeps every result in order, says so once with counts, and says when the disk is back', () => {
    const dir = join(small.dir, 'results');
    const { lines, log } = capture();
    const buffer = ResultBuffer.open(dir, { segmentSize: 20, maxResults: 1000, log });
    for (const n of range(1, 30)) buffer.append(result(n));
    expect(lines).toEqual([]);

    small.fill();
    for (const n of range(31, 90)) buffer.append(result(n)); // threw ENOSPC before
    expect(ns(buffer.peek(1000))).toEqual(range(1, 90));
    expect(buffer.stats.notOnDisk).toBeGreaterThan(0);
    const full = lines.filter((l) => l.level === 'error');
    expect(full).toHaveLength(1);
    expect(full[0]!.fields).toMatchObject({ code: 'ENOSPC', pending: expect.any(Number), notOnDisk: expect.any(Number) });
    expect(full[0]!.message).toMatch(/the disk is full/);

    // the API takes some: the cursor cannot be written either, and that is no reason to stop
    buffer.acknowledge(25);
    expect(ns(buffer.peek(1000))).toEqual(range(26, 90));

    // a restart on the full disk: what reached the disk is there, in order, nothing acknowledged is lost
    const restarted = ResultBuffer.open(dir, { segmentSize: 20, maxResults: 1000, log: capture().log });
    const survived = ns(restarted.peek(1000));
    expect(survived).toEqual([...survived].sort((a, b) => a - b));
    expect(survived).toEqual(expect.arrayContaining(range(26, 30)));
    restarted.append(result(91)); // still no throw

    // room again: the next result goes to disk, and the recovery is logged with what was held in memory
    small.free();
    buffer.append(result(92));
    const back = lines.filter((l) => l.level === 'info');
    expect(back).toHaveLength(1);
    expect(back[0]!.message).toMatch(/written to disk again/);
    expect(back[0]!.fields.keptInMemory).toBe(buffer.stats.notOnDisk);
    expect(ns(buffer.peek(1000))).toEqual([...range(26, 90), 92]);
  });
});
