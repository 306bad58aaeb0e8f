import type { ClaimedMessage } from './claim.ts';

/**
 * An address as the log shows it: the first letter of the mailbox and the
 * domain, so a line can be matched to a complaint without the log becoming
 * a list of residents' addresses.
 *
 * @example maskAddress('anna.hansen@example.org') // 'a***@example.org'
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** A text (an SMTP reply) with every address in it masked: servers often quote the refused address. */
export function maskAddressesIn(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, maskAddress);
}

/** What one delivery went out as: the channel, the id the receiver sees (Message-ID, webhook delivery id), and where to, masked. */
export type SentVia = { channel: string; messageId?: string; to: string };

/** The fields of the one log line per message sent or failed for good. */
export function logFieldsOf(message: ClaimedMessage, via: SentVia | null) {
  return { outbox: message.id, kind: message.kind, ...(via ?? {}), ...(message.subscriberId ? { subscriber: message.subscriberId } : {}), ...(message.alertTarget ? { route: message.alertTarget.routeId } : {}) };
}
