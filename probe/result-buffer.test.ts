import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from './contract.ts';
import { ResultBuffer } from './result-buffer.ts';

const result = (n: number): CheckResult => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  componentId: 'a',
  checkId: 'https',
  regionId: 'north',
  startedAt: new Date(Date.UTC(2026, 10, 21, 12, 0, n)).toISOString(),
  outcome: 'up',
  durationMs: n,
});
const ids = (results: CheckResult[]) => results.map((r) => r.durationMs);
const tempDir = () => mkdtempSync(join(tmpdir(), 'statusvakt-buffer-'));

describe('ResultBuffer', () => {
  it('gives results back in order, across segments', () => {
    const buffer = ResultBuffer.open(tempDir(), { segmentSize: 3 });
    for (let n = 1; n <= 7; n++) buffer.append(result(n));
    expect(ids(buffer.peek(5))).toEqual([1, 2, 3, 4, 5]);
    buffer.acknowledge(4);
    expect(ids(buffer.peek(10))).toEqual([5, 6, 7]);
    expect(buffer.stats).toEqual({ pending: 3, dropped: 0, notOnDisk: 0 });
  });

  it('keeps unacknowledged results across a restart and resumes at the cursor', () => {
    const dir = tempDir();
    const first = ResultBuffer.open(dir, { segmentSize: 3 });
    for (let n = 1; n <= 8; n++) first.append(result(n));
    first.acknowledge(4); // segment 1 deleted, one of segment 2 acknowledged
    const second = ResultBuffer.open(dir, { segmentSize: 3 });
    expect(ids(second.peek(10))).toEqual([5, 6, 7, 8]);
    second.append(result(9));
    second.acknowledge(5);
    expect(second.stats.pending).toBe(0);
    expect(ResultBuffer.open(dir, { segmentSize: 3 }).stats.pending).toBe(0);
  });

  it('writes the cursor in the background when asked to, the latest one, and resumes at it once settled', async () => {
    const dir = tempDir();
    const first = ResultBuffer.open(dir, { segmentSize: 3, cursorWrites: 'background' });
    for (let n = 1; n <= 8; n++) first.append(result(n));
    first.acknowledge(2);
    first.acknowledge(2);
    first.acknowledge(1); // segment 1 deleted, two of segment 2 acknowledged
    await first.settled();
    const second = ResultBuffer.open(dir, { segmentSize: 3 });
    expect(ids(second.peek(10))).toEqual([6, 7, 8]);
  });

  it('deletes segment files once acknowledged', () => {
    const dir = tempDir();
    const buffer = ResultBuffer.open(dir, { segmentSize: 2 });
    for (let n = 1; n <= 6; n++) buffer.append(result(n));
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(3);
    buffer.acknowledge(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
  });

  it('stays within its bound by dropping the oldest segment, and counts what it dropped', () => {
    const dir = tempDir();
    const buffer = ResultBuffer.open(dir, { segmentSize: 2, maxResults: 4 });
    for (let n = 1; n <= 7; n++) buffer.append(result(n));
    // segments [1,2] [3,4] [5,6] [7]: the 5th result drops [1,2], the 7th drops [3,4]
    expect(ids(buffer.peek(10))).toEqual([5, 6, 7]);
    expect(buffer.stats).toEqual({ pending: 3, dropped: 4, notOnDisk: 0 });
    expect(ResultBuffer.open(dir, { segmentSize: 2, maxResults: 4 }).stats.dropped).toBe(buffer.stats.dropped);
  });

  it('says at once, with counts, when it drops results at its bound', () => {
    const warnings: { fields: object; message: string }[] = [];
    const log = { info: () => {}, error: () => {}, warn: (fields: object, message: string) => void warnings.push({ fields, message }) };
    const buffer = ResultBuffer.open(tempDir(), { segmentSize: 2, maxResults: 4, log });
    for (let n = 1; n <= 4; n++) buffer.append(result(n));
    expect(warnings).toEqual([]);
    buffer.append(result(5));
    expect(warnings).toEqual([{ fields: { dropped: 2, droppedTotal: 2, pending: 3, maxBufferedResults: 4 }, message: expect.stringMatching(/dropped the oldest 2 results to stay within 4/) }]);
  });

  it('survives a line cut off by a crash mid-write', () => {
    const dir = tempDir();
    const buffer = ResultBuffer.open(dir, { segmentSize: 10 });
    buffer.append(result(1));
    appendFileSync(join(dir, 'segment-000000000001.jsonl'), '{"id":"cut');
    const reopened = ResultBuffer.open(dir);
    expect(ids(reopened.peek(10))).toEqual([1]);
    reopened.append(result(2)); // on a line of its own, not glued to the cut one
    expect(ids(ResultBuffer.open(dir).peek(10))).toEqual([1, 2]);
  });
});
