// Scheduling: 10,000 checks at a 60 s interval against a local TLS target on
// one probe process. Target: p99 lag between planned and actual start < 1 s.
// Reports memory too.
//
//   npx node bench/scheduler-lag.ts [--checks 10000] [--seconds 75]
import { parseArgs } from 'node:util';
import { runProbe, type AssignedCheck } from '../probe/index.ts';
import { benchCertificates, percentile, sleep, startTlsTarget } from './support/bench-env.ts';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '75' } } });
const CHECKS = Number(values.checks);
const SECONDS = Number(values.seconds);

const certs = await benchCertificates();
const target = await startTlsTarget(certs.cert, certs.key);
const checks: AssignedCheck[] = Array.from({ length: CHECKS }, (_, i) => ({
  componentId: `c${i}`,
  checkId: 'https',
  kind: 'https',
  intervalSeconds: 60,
  spec: { kind: 'https', url: `https://127.0.0.1:${target.port}/c${i}`, intervalSeconds: 60, timeoutMs: 10_000 },
}));

const outcomes = { up: 0, degraded: 0, down: 0, unknown: 0 };
const reasons = new Map<string, number>();
const rssSamples: number[] = [];
const baselineRss = process.memoryUsage().rss;
const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 1000);
const probe = runProbe({
  regionId: 'bench',
  checks,
  trustedCa: [certs.caPem],
  recordLag: true,
  sink: async (result) => {
    outcomes[result.outcome]++;
    if (result.reason) reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
  },
});
await sleep(SECONDS * 1000);
await probe.stop();
clearInterval(sampler);
target.stop();

const lag = probe.stats.lagMs;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`Scheduling ${CHECKS} HTTPS checks at a 60 s interval for ${SECONDS} s on one probe process`);
console.log(`  runs started ${probe.stats.started}, skipped as overlapping ${probe.stats.skippedOverlaps}`);
console.log(`  results: ${outcomes.up} up, ${outcomes.degraded} degraded, ${outcomes.down} down${reasons.size ? ` (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}`);
console.log(`  start lag: p50 ${percentile(lag, 50).toFixed(1)} ms, p99 ${percentile(lag, 99).toFixed(1)} ms, max ${Math.max(...lag).toFixed(1)} ms (target p99 < 1000 ms)`);
console.log(`  memory: RSS peak ${mb(Math.max(...rssSamples))} (${mb(baselineRss)} before the probe started), heap ${mb(process.memoryUsage().heapUsed)} at the end`);
