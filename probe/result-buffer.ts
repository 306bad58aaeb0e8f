import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from './contract.ts';
import { silentLog, type ProbeLog } from './probe-log.ts';

export type BufferStats = {
  /** Results waiting for the API. */
  pending: number;
  /** Results dropped, oldest first, to stay within the bound (this run and earlier ones). */
  dropped: number;
  /** Of the pending results, those kept in memory only because the disk refused them; a restart loses these. */
  notOnDisk: number;
};

export const DEFAULT_MAX_BUFFERED_RESULTS = 100_000;

type Segment = { seq: number; results: CheckResult[]; onDisk: boolean; bytes: number };

const SEGMENT_PATTERN = /^segment-(\d{12})\.jsonl$/;

/**
 * A bounded, on-disk FIFO of results waiting for the API. Results are
 * appended as JSON lines to numbered segment files; a cursor file records how
 * many results of the oldest segment the API has acknowledged. A restart
 * resends at most that segment's unacknowledged tail, and the API stores a
 * result id once, so nothing is lost and nothing is stored twice.
 *
 * The rule when space runs out:
 * - Bound: at most `maxResults` results wait. Past that the oldest segment
 *   (up to `segmentSize` results) is dropped whole, oldest first, counted,
 *   and logged at once: a probe cut off for days must not fill its disk.
 * - Full disk (or any write error): nothing is thrown. The result is kept in
 *   memory, in order, and still sent; the disk is tried again with the next
 *   result. Entering and leaving that state is logged once each, with counts.
 *   The bound above still holds, so memory stays bounded. Results held only in
 *   memory are lost if the probe stops before the API has them.
 * - Cursor: when it cannot be written, the old one stays; a restart then
 *   resends a few results the API already has, which it counts as duplicates.
 *   With `cursorWrites: 'background'` it is written off the calling thread,
 *   the latest one only (a thread that also answers requests is then never
 *   held by a slow disk); a crash in between is the same case.
 */
export class ResultBuffer {
  private readonly dir: string;
  private readonly segmentSize: number;
  private readonly maxResults: number;
  private readonly log: ProbeLog;
  /** Segments in order, each with its results still in memory. */
  private segments: Segment[] = [];
  /** Results of the oldest segment already acknowledged. */
  private acked = 0;
  private dropped = 0;
  /** Set while the disk refuses writes: since when, why, and how many results it refused. */
  private diskTrouble: { since: number; code: string; refused: number } | undefined;
  private readonly cursorInBackground: boolean;
  /** The background cursor write under way, and whether a newer cursor waits for it. */
  private cursorWriting: Promise<void> | undefined;
  private cursorStale = false;

  private constructor(dir: string, options: { segmentSize: number; maxResults: number; log: ProbeLog; cursorInBackground: boolean }) {
    this.dir = dir;
    this.segmentSize = options.segmentSize;
    this.maxResults = options.maxResults;
    this.log = options.log;
    this.cursorInBackground = options.cursorInBackground;
  }

  /** Opens (or creates) the buffer in `dir`, loading what an earlier run left. Only reads, so a full disk does not stop it. */
  static open(dir: string, options: { segmentSize?: number; maxResults?: number; log?: ProbeLog; cursorWrites?: 'sync' | 'background' } = {}): ResultBuffer {
    mkdirSync(dir, { recursive: true });
    const maxResults = options.maxResults ?? DEFAULT_MAX_BUFFERED_RESULTS;
    const buffer = new ResultBuffer(dir, {
      segmentSize: Math.min(options.segmentSize ?? 500, maxResults),
      maxResults,
      log: options.log ?? silentLog,
      cursorInBackground: options.cursorWrites === 'background',
    });
    buffer.load();
    return buffer;
  }

  get stats(): BufferStats {
    return { pending: this.pendingCount(), dropped: this.dropped, notOnDisk: this.notOnDiskCount() };
  }

  /** Appends a result, written to the file before returning when the disk allows (see the class comment). Never throws for the disk. */
  append(result: CheckResult): void {
    const line = `${JSON.stringify(result)}\n`;
    let last = this.segments.at(-1);
    if (last?.onDisk && last.results.length < this.segmentSize && this.writeLine(last, line)) {
      last.results.push(result);
    } else if (last?.onDisk && last.results.length < this.segmentSize) {
      this.segments.push({ seq: last.seq + 1, results: [result], onDisk: false, bytes: 0 });
    } else {
      // a new segment; after a memory-only one, this is where the disk is tried again
      const fresh: Segment = { seq: (last?.seq ?? 0) + 1, results: [result], onDisk: true, bytes: 0 };
      if (this.writeLine(fresh, line)) {
        if (last?.onDisk) this.sync(last.seq);
        this.segments.push(fresh);
      } else if (last && !last.onDisk && last.results.length < this.segmentSize) {
        last.results.push(result);
      } else {
        this.segments.push({ ...fresh, onDisk: false });
      }
    }
    last = this.segments.at(-1)!;
    if (!last.onDisk && this.diskTrouble) this.diskTrouble.refused++;
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
        this.remove(oldest);
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

  private notOnDiskCount(): number {
    return this.segments.reduce((n, s, i) => n + (s.onDisk ? 0 : s.results.length - (i === 0 ? this.acked : 0)), 0);
  }

  private enforceBound(): void {
    let droppedNow = 0;
    while (this.pendingCount() > this.maxResults && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      droppedNow += oldest.results.length - this.acked;
      this.acked = 0;
      this.remove(oldest);
    }
    if (droppedNow === 0) return;
    this.dropped += droppedNow;
    this.writeCursor();
    this.log.warn(
      { dropped: droppedNow, droppedTotal: this.dropped, pending: this.pendingCount(), maxBufferedResults: this.maxResults },
      `result buffer full: dropped the oldest ${droppedNow} results to stay within ${this.maxResults}; raise --max-buffered or bring the API back`,
    );
  }

  /** Appends a line; on failure cuts the file back to its last whole line (a half line would spoil the next) and reports. */
  private writeLine(segment: Segment, line: string): boolean {
    const path = this.segmentPath(segment.seq);
    try {
      appendFileSync(path, line);
      // only a new file shows the disk has room again: a line may still fit in the last block of a full disk
      if (segment.bytes === 0) this.noteDiskWorks();
      segment.bytes += Buffer.byteLength(line);
      return true;
    } catch (error) {
      try {
        if (segment.bytes === 0) rmSync(path, { force: true });
        else truncateSync(path, segment.bytes);
      } catch {
        // the file stays as it is; load() skips a line that does not parse
      }
      this.noteDiskTrouble(error, path);
      return false;
    }
  }

  private noteDiskTrouble(error: unknown, path: string): void {
    if (this.diskTrouble) return;
    const code = (error as { code?: string }).code ?? 'EIO';
    this.diskTrouble = { since: Date.now(), code, refused: 0 };
    this.log.error(
      { code, path, pending: this.pendingCount(), notOnDisk: this.notOnDiskCount(), dropped: this.dropped },
      `cannot write the result buffer (${describeCode(code)}); keeping results in memory until the disk takes them again`,
    );
  }

  private noteDiskWorks(): void {
    if (!this.diskTrouble) return;
    const { since, code, refused } = this.diskTrouble;
    this.diskTrouble = undefined;
    this.log.info({ code, forMs: Date.now() - since, keptInMemory: refused, notOnDisk: this.notOnDiskCount() }, 'the result buffer is written to disk again');
  }

  private load(): void {
    const seqs = readdirSync(this.dir)
      .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      const text = readFileSync(this.segmentPath(seq), 'utf8');
      // a line cut off by a crash mid-write is the only kind that fails to parse; it was never acknowledged
      const results = text.split('\n').filter((line) => line.trim() !== '').flatMap((line) => {
        try {
          return [JSON.parse(line) as CheckResult];
        } catch {
          return [];
        }
      });
      // cut a half-written last line away, so the next append starts on a line of its own
      const whole = text.endsWith('\n') || text === '' ? text : text.slice(0, text.lastIndexOf('\n') + 1);
      if (whole !== text) {
        try {
          truncateSync(this.segmentPath(seq), Buffer.byteLength(whole));
        } catch {
          // read-only or full: the next append may join the half line, which load skips; no worse than before
        }
      }
      this.segments.push({ seq, results, onDisk: true, bytes: Buffer.byteLength(whole) });
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

  /** Resolves once the cursor on disk is the latest one (at once unless `cursorWrites: 'background'`). */
  async settled(): Promise<void> {
    while (this.cursorWriting) await this.cursorWriting;
  }

  private cursorText(): string {
    return JSON.stringify({ seq: this.segments[0]?.seq ?? 0, acked: this.acked, dropped: this.dropped });
  }

  private writeCursor(): void {
    if (this.cursorInBackground) {
      this.cursorStale = true;
      this.cursorWriting ??= this.writeCursorInBackground().finally(() => (this.cursorWriting = undefined));
      return;
    }
    const temp = join(this.dir, 'cursor.json.tmp');
    try {
      writeFileSync(temp, this.cursorText());
      renameSync(temp, join(this.dir, 'cursor.json')); // atomic: never a half-written cursor
      this.noteDiskWorks();
    } catch (error) {
      this.noteDiskTrouble(error, join(this.dir, 'cursor.json'));
      try {
        rmSync(temp, { force: true });
      } catch {
        // a stale temporary file is harmless: it is never read
      }
    }
  }

  private async writeCursorInBackground(): Promise<void> {
    const temp = join(this.dir, 'cursor.json.tmp');
    // cursors asked for while one is written are one write: the latest
    while (this.cursorStale) {
      this.cursorStale = false;
      try {
        await writeFile(temp, this.cursorText());
        await rename(temp, join(this.dir, 'cursor.json')); // atomic: never a half-written cursor
        this.noteDiskWorks();
      } catch (error) {
        this.noteDiskTrouble(error, join(this.dir, 'cursor.json'));
        await rm(temp, { force: true }).catch(() => undefined); // a stale temporary file is harmless: it is never read
      }
    }
  }

  private remove(segment: Segment): void {
    if (!segment.onDisk) return;
    try {
      rmSync(this.segmentPath(segment.seq), { force: true });
    } catch (error) {
      this.noteDiskTrouble(error, this.segmentPath(segment.seq));
    }
  }

  private sync(seq: number): void {
    try {
      const fd = openSync(this.segmentPath(seq), 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.noteDiskTrouble(error, this.segmentPath(seq));
    }
  }

  private segmentPath(seq: number): string {
    return join(this.dir, `segment-${String(seq).padStart(12, '0')}.jsonl`);
  }
}

function describeCode(code: string): string {
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'EACCES' || code === 'EPERM') return 'no permission';
  return code;
}
