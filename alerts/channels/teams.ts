import type { RenderedAlert } from '../render/index.ts';
import type { SendOutcome } from './channel.ts';
import { postJson } from './webhook.ts';

const COLOUR: Record<RenderedAlert['severity'], string> = { critical: 'D13438', warning: 'FFB900', resolved: '107C10', info: '0078D4' };
const ADAPTIVE_COLOUR: Record<RenderedAlert['severity'], string> = { critical: 'Attention', warning: 'Warning', resolved: 'Good', info: 'Accent' };

/** A legacy Office 365 connector card (MessageCard), for Teams incoming webhooks that still take it. Pure. */
export function formatTeamsMessageCard(alert: RenderedAlert) {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    themeColor: COLOUR[alert.severity],
    summary: alert.title,
    title: alert.title,
    text: alert.text,
    sections: [{ facts: alert.facts.map(([name, value]) => ({ name, value })) }],
    ...(alert.url ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open in Statusvakt', targets: [{ os: 'default', uri: alert.url }] }] } : {}),
  };
}

/** An Adaptive Card in a message, as Teams workflows' "post to a channel when a webhook request is received" expects it. Pure. */
export function formatTeamsAdaptiveCard(alert: RenderedAlert) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: alert.title, weight: 'Bolder', size: 'Medium', color: ADAPTIVE_COLOUR[alert.severity], wrap: true },
            { type: 'TextBlock', text: alert.text, wrap: true },
            { type: 'FactSet', facts: alert.facts.map(([title, value]) => ({ title, value })) },
          ],
          ...(alert.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Statusvakt', url: alert.url }] } : {}),
        },
      },
    ],
  };
}

/** Sends to a Microsoft Teams incoming webhook in the chosen card format. */
export async function sendTeams(url: string, alert: RenderedAlert, options: { allowInternal: boolean; format: 'messagecard' | 'adaptivecard' }): Promise<SendOutcome> {
  const card = options.format === 'messagecard' ? formatTeamsMessageCard(alert) : formatTeamsAdaptiveCard(alert);
  return postJson(url, JSON.stringify(card), {}, options);
}
