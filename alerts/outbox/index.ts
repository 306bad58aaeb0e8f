export { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './worker.ts';
export { deliverBatch, type DeliveryDeps, type RoundCounts } from './deliver.ts';
export { fanOutNextEvent } from './fan-out.ts';
export { claimDueMessages } from './claim.ts';
export { DEFAULT_BACKOFF, nextAttemptAt, retryDelayMs, type BackoffPolicy } from './backoff.ts';
export { messageIdOf, type Links } from './compose-mail.ts';
export { fanOutNextAlert, alertRoutesOf, routeMatches, type AlertTarget } from './fan-out-alerts.ts';
export { composeAlert } from './deliver.ts';
export { sendTestAlert, type ChannelOutcome } from './send-test-alert.ts';
