export * from './contract.ts';
export { runHttpsCheck, type CheckTarget, type HttpsCheckOptions } from './https-check.ts';
export { startScheduler, spreadOffset, type ScheduledJob, type SchedulerStats } from './scheduler.ts';
export { runProbe, type ProbeHandle, type ResultSink } from './run-probe.ts';
export { ResultBuffer, type BufferStats } from './result-buffer.ts';
export { runRemoteProbe, ProbeSetupError, type RemoteProbeOptions, type ProbeLog } from './remote-probe.ts';
export { runStatuspageCheck } from './statuspage-check.ts';
export { CloudWatchReader } from './cloudwatch-check.ts';
export { expandPreset, metricsOf } from './cloudwatch-presets.ts';
