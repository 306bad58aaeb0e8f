import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './contract.ts';

export type BufferStats = { pending: number; dropped: number };

const SEGMENT_PATTERN = /^segment-(\d{12})\.jsonl$/;

/**
 * A bounded, on-disk FIFO of results waiting for the API. Results are
 * appended as JSON lines to numbered segment files; a cursor file records how
 * many results of the oldest segment the API has acknowledged. A restart
 * resends at most that segment's unacknowledged tail, and the API stores a
 * result id once, so nothing is lost and nothing is stored twice.
 *
 * When more than `maxResults` wait, the oldest segment is dropped whole and
 * counted: a probe cut off for days must not fill its disk.
 */
export class ResultBuffer {
  private readonly dir: string;
  private readonly segmentSize: number;
  private readonly maxResults: number;
  /** Segments in order, each with its results still in memory. */
  private segments: { seq: number; results: CheckResult[] }[] = [];
  /** Results of the oldest segment already acknowledged. */
  private acked = 0;
  private dropped = 0;

  private constructor(dir: string, options: { segmentSize: number; maxResults: number }) {
    this.dir = dir;
    this.segmentSize = options.segmentSize;
    this.maxResults = options.maxResults;
  }

  /** Opens (or creates) the buffer in `dir`, loading what an earlier run left. */
  static open(dir: string, options: { segmentSize?: number; maxResults?: number } = {}): ResultBuffer {
    mkdirSync(dir, { recursive: true });
    const maxResults = options.maxResults ?? 100_000;
    const buffer = new ResultBuffer(dir, { segmentSize: Math.min(options.segmentSize ?? 500, maxResults), maxResults });
    buffer.load();
    return buffer;
  }

  get stats(): BufferStats {
    return { pending: this.pendingCount(), dropped: this.dropped };
  }

  /** Appends a result durably (written to the file before returning). */
  append(result: CheckResult): void {
    let last = this.segments.at(-1);
    if (!last || last.results.length >= this.segmentSize) {
      if (last) this.sync(last.seq);
      last = { seq: (last?.seq ?? 0) + 1, results: [] };
      this.segments.push(last);
    }
    appendFileSync(this.segmentPath(last.seq), `${JSON.stringify(result)}\n`);
    last.results.push(result);
    this.enforceBound();
  }

  /** The oldest `limit` results not yet acknowledged, in the order they were appended. */
  peek(limit: number): CheckResult[] {
    const out: CheckResult[] = [];
    this.segments.forEach((segment, i) => {
      const from = i === 0 ? this.acked : 0;
      for (let k = from; k < segment.results.length && out.length < limit; k++) out.push(segment.results[k]!);
    });
    return out;
  }

  /** Forgets the oldest `count` results: the API has them. */
  acknowledge(count: number): void {
    let left = count;
    while (left > 0 && this.segments.length > 0) {
      const oldest = this.segments[0]!;
      const take = Math.min(left, oldest.results.length - this.acked);
      this.acked += take;
      left -= take;
      const isCurrent = this.segments.length === 1;
      if (this.acked >= oldest.results.length && !isCurrent) {
        rmSync(this.segmentPath(oldest.seq), { force: true });
        this.segments.shift();
        this.acked = 0;
      } else if (take === 0) {
        break;
      }
    }
    this.writeCursor();
  }

  private pendingCount(): number {
    return this.segments.reduce((n, s) => n + s.results.length, 0) - this.acked;
  }

  private enforceBound(): void {
    while (this.pendingCount() > this.maxResults && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      this.dropped += oldest.results.length - this.acked;
      this.acked = 0;
      rmSync(this.segmentPath(oldest.seq), { force: true });
      this.writeCursor();
    }
  }

  private load(): void {
    const seqs = readdirSync(this.dir)
      .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      const lines = readFileSync(this.segmentPath(seq), 'utf8').split('\n');
      // a line cut off by a crash mid-write is the only kind that fails to parse; it was never acknowledged
      const results = lines.filter((line) => line.trim() !== '').flatMap((line) => {
        try {
          return [JSON.parse(line) as CheckResult];
        } catch {
          return [];
        }
      });
      this.segments.push({ seq, results });
    }
    const cursor = this.readCursor();
    if (cursor && this.segments[0]?.seq === cursor.seq) this.acked = Math.min(cursor.acked, this.segments[0].results.length);
    this.dropped = cursor?.dropped ?? 0;
  }

  private readCursor(): { seq: number; acked: number; dropped: number } | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'cursor.json'), 'utf8')) as { seq: number; acked: number; dropped: number };
    } catch {
      return undefined;
    }
  }

  private writeCursor(): void {
    const cursor = { seq: this.segments[0]?.seq ?? 0, acked: this.acked, dropped: this.dropped };
    const temp = join(this.dir, 'cursor.json.tmp');
    writeFileSync(temp, JSON.stringify(cursor));
    renameSync(temp, join(this.dir, 'cursor.json')); // atomic: never a half-written cursor
  }

  private sync(seq: number): void {
    const fd = openSync(this.segmentPath(seq), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private segmentPath(seq: number): string {
    return join(this.dir, `segment-${String(seq).padStart(12, '0')}.jsonl`);
  }
}
