import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';

/** Resident and peak memory of a process, in MB, from /proc (Linux). */
export function memoryMb(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets the kernel's peak-RSS mark of a process ("5" to clear_refs), so the next peak is of what follows; false where not permitted. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * `count` GETs of `url` at once, each on its own connection (no keep-alive
 * pool), as a crowd of residents arriving together would: the time of each
 * answered with 200, and how many were not.
 */
export async function getAtOnce(url: string, count: number): Promise<{ answered: number[]; failed: number }> {
  const { hostname, port, pathname } = new URL(url);
  const once = () =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      const req = request({ host: hostname, port, path: pathname, agent: false, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : Number.NaN));
      });
      req.on('error', () => resolve(Number.NaN));
      req.end();
    });
  const times = await Promise.all(Array.from({ length: count }, once));
  const answered = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  return { answered, failed: count - answered.length };
}

/** The p-th percentile of sorted values. */
export const percentileOf = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
