/**
 * alerts/: everything that leaves Statusvakt to reach a person. E-mail to
 * subscribers, delivered from a transactional outbox (`outbox/`), rendered
 * per language by pure functions (`render/`), sent through channels behind
 * one small interface (`channels/`). Also example Prometheus rules for
 * Statusvakt's /metrics (`prometheus/statusvakt.rules.yml`).
 */
export const PROMETHEUS_RULES_FILE = new URL('./prometheus/statusvakt.rules.yml', import.meta.url);
export { startOutboxWorker, deliverBatch, fanOutNextEvent, fanOutNextAlert, alertRoutesOf, routeMatches, composeAlert, sendTestAlert, type ChannelOutcome, claimDueMessages, messageIdOf, DEFAULT_BACKOFF, type OutboxWorker, type BackoffPolicy, type Links } from './outbox/index.ts';
export { createSmtpChannel, classifySmtpError, formatSlackMessage, formatTeamsAdaptiveCard, formatTeamsMessageCard, type MailChannel, type OutgoingMail, type SendOutcome, type SmtpSettings } from './channels/index.ts';
export { renderEventMail, renderConfirmMail, renderReportMail, renderDigestMail, renderAlert, renderAlertMail, formatPercent, formatPeriod, MAIL_LANGUAGES, MAIL_MESSAGES, REPORT_MESSAGES, type MailLanguage, type RenderedMail } from './render/index.ts';
export { startScheduledJobs, jobsOf, runJobOnce, periodOf, queueReport, queueDigest, previousPeriodKey, type JobSpec, type ScheduledJobs } from './jobs/index.ts';
