export { startScheduledJobs, jobsOf, reportTimeZoneOf, type JobSpec, type ScheduledJobs } from './scheduled-jobs.ts';
export { runJobOnce, periodOf } from './claim-job-run.ts';
export { queueReport, type ReportPayload } from './queue-report.ts';
export { queueDigest, type DigestPayload } from './queue-digest.ts';
export { previousPeriodKey, type ReportKind } from './previous-period.ts';
