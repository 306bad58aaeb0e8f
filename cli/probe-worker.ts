// The in-process probe's own thread: it schedules and runs the checks and
// posts each result to the main thread, which stores it. A page view,
// report or ingest burst on the main thread never delays a check's start.
import { parentPort, workerData } from 'node:worker_threads';
import { runProbe, type AssignedCheck } from '../probe/index.ts';
import { summarizeLag, type ProbeWorkerData, type FromProbeWorker, type ToProbeWorker } from './probe-thread.ts';

const data = workerData as ProbeWorkerData;
const port = parentPort!;
const post = (message: FromProbeWorker) => port.postMessage(message);

const probe = runProbe({
  regionId: data.regionId,
  checks: data.checks as AssignedCheck[],
  trustedCa: data.trustedCa,
  recordLag: true,
  readSecret: (name) => data.secrets[name],
  sink: async (result) => post({ type: 'result', result }),
});

// the scheduler keeps every start lag; fold them into a bounded record so a long run does not grow
const kept: number[] = [];
let runs = 0;
let maxMs = 0;
const fold = () => {
  for (const lag of probe.stats.lagMs.splice(0)) {
    runs++;
    if (lag > maxMs) maxMs = lag;
    if (kept.length < 100_000) kept.push(lag);
    else {
      // reservoir sampling: a uniform sample of the whole run
      const slot = Math.floor(Math.random() * runs);
      if (slot < kept.length) kept[slot] = lag;
    }
  }
};
const folding = setInterval(fold, 10_000);

port.on('message', (message: ToProbeWorker) => {
  if (message.type !== 'stop') return;
  clearInterval(folding);
  void probe.stop().then(() => {
    fold();
    post({ type: 'stopped', lag: summarizeLag(kept, runs, maxMs) });
  });
});
