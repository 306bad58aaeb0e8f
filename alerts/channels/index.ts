export type { MailChannel, OutgoingMail, SendOutcome } from './channel.ts';
export { createSmtpChannel, classifySmtpError, type SmtpSettings } from './email.ts';
export { sendWebhook, signWebhook, type WebhookDelivery } from './webhook.ts';
export { postJson } from './webhook.ts';
export { formatSlackMessage, sendSlack } from './slack.ts';
export { formatTeamsAdaptiveCard, formatTeamsMessageCard, sendTeams } from './teams.ts';
