import { deriveToken, type IncidentUpdatePayload, type NotificationKind, type WindowPayload } from '../../api/index.ts';
import type { LocalizedText } from '../../config/index.ts';
import type { OutgoingMail } from '../channels/index.ts';
import type { ReportPayload } from '../jobs/queue-report.ts';
import type { DigestPayload } from '../jobs/queue-digest.ts';
import { renderConfirmMail, renderDigestMail, renderEventMail, renderReportMail } from '../render/index.ts';

export type Subscriber = { id: string; pageId: string; email: string; language: string; manageNonce: string; confirmNonce: string | null };
export type Links = { publicUrl: string; secret: string; messageIdDomain: string };

const pageUrl = (links: Links, pageId: string) => `${links.publicUrl}/pages/${encodeURIComponent(pageId)}/`;
// the language rides along so the page behind the link speaks it before the token is looked up
const apiUrl = (links: Links, action: string, token: string, language: string) => `${links.publicUrl}/api/v1/subscriptions/${action}?token=${token}&lang=${encodeURIComponent(language)}`;

/** The Message-ID of an outbox row: the same on every attempt, so a resent mail is recognisably the same mail. */
export function messageIdOf(outboxId: string, domain: string): string {
  return `${outboxId}@${domain}`;
}

/** A subscriber's mail about an event, with the manage link and the RFC 8058 one-click unsubscribe headers. */
export function composeEventMail(args: { outboxId: string; subscriber: Subscriber; kind: NotificationKind; payload: IncidentUpdatePayload | WindowPayload; links: Links }): OutgoingMail {
  const token = deriveToken(args.links.secret, 'manage', args.subscriber.manageNonce);
  const unsubscribeUrl = apiUrl(args.links, 'unsubscribe', token, args.subscriber.language);
  const rendered = renderEventMail({
    kind: args.kind,
    payload: args.payload,
    pageId: args.subscriber.pageId,
    language: args.subscriber.language,
    links: { pageUrl: pageUrl(args.links, args.subscriber.pageId), manageUrl: apiUrl(args.links, 'manage', token, args.subscriber.language), unsubscribeUrl },
  });
  return {
    to: args.subscriber.email,
    messageId: messageIdOf(args.outboxId, args.links.messageIdDomain),
    ...rendered,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
  };
}

/** The double opt-in mail. */
export function composeConfirmMail(args: { outboxId: string; subscriber: Subscriber & { confirmNonce: string }; page: { name: LocalizedText; defaultLanguage: string }; links: Links }): OutgoingMail {
  const token = deriveToken(args.links.secret, 'confirm', args.subscriber.confirmNonce);
  const rendered = renderConfirmMail({ page: args.page, language: args.subscriber.language, confirmUrl: apiUrl(args.links, 'confirm', token, args.subscriber.language), pageUrl: pageUrl(args.links, args.subscriber.pageId) });
  return { to: args.subscriber.email, messageId: messageIdOf(args.outboxId, args.links.messageIdDomain), ...rendered, headers: { 'Auto-Submitted': 'auto-generated' } };
}

/** An SLA report (month, tertial or year) to a contract recipient: the figures in the body, the CSV and the statements attached. */
export function composeReportMail(args: { outboxId: string; to: string; payload: ReportPayload; links: Links }): OutgoingMail {
  const p = args.payload;
  const rendered = renderReportMail({ payload: p, pageUrl: pageUrl(args.links, p.pageId) });
  return {
    to: args.to,
    messageId: messageIdOf(args.outboxId, args.links.messageIdDomain),
    ...rendered,
    headers: { 'Auto-Submitted': 'auto-generated' },
    attachments: [
      { filename: `sla-report-${p.pageId}-${p.periodKey}.csv`, content: p.csv, contentType: 'text/csv; charset=utf-8' },
      ...p.statements.map((s) => ({ filename: s.filename, content: s.json, contentType: 'application/json' })),
    ],
  };
}

/** The digest to a contract recipient. */
export function composeDigestMail(args: { outboxId: string; to: string; payload: DigestPayload; links: Links }): OutgoingMail {
  const rendered = renderDigestMail({ payload: args.payload, pageUrl: pageUrl(args.links, args.payload.pageId) });
  return { to: args.to, messageId: messageIdOf(args.outboxId, args.links.messageIdDomain), ...rendered, headers: { 'Auto-Submitted': 'auto-generated' } };
}
