import type { RenderedAlert } from '../render/index.ts';
import type { SendOutcome } from './channel.ts';
import { postJson } from './webhook.ts';

const EMOJI: Record<RenderedAlert['severity'], string> = { critical: ':red_circle:', warning: ':large_orange_circle:', resolved: ':large_green_circle:', info: ':information_source:' };

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A Slack incoming-webhook message: `text` (shown in notifications and by
 * clients without blocks) and Block Kit blocks with the facts. Pure.
 */
export function formatSlackMessage(alert: RenderedAlert) {
  const title = `${EMOJI[alert.severity]} ${slackEscape(alert.title)}`;
  return {
    text: `${title}: ${slackEscape(alert.text)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*\n${slackEscape(alert.text)}` } },
      { type: 'section', fields: alert.facts.map(([k, v]) => ({ type: 'mrkdwn', text: `*${slackEscape(k)}*\n${slackEscape(v)}` })) },
      ...(alert.url ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${alert.url}|Open in Statusvakt>` }] }] : []),
    ],
  };
}

/** Sends to a Slack incoming webhook; its answers are classified like any webhook's (a 404 for a revoked URL is permanent). */
export async function sendSlack(url: string, alert: RenderedAlert, options: { allowInternal: boolean }): Promise<SendOutcome> {
  return postJson(url, JSON.stringify(formatSlackMessage(alert)), {}, options);
}
