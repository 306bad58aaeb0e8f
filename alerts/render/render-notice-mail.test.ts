import { describe, expect, it } from 'vitest';
import type { NoticePayload } from '../../api/index.ts';
import { MAIL_LANGUAGES, renderEventMail, renderWebhookPayload } from './index.ts';

const page = { id: 'kommune', name: { da: 'Kommunens status', en: 'Municipal status' }, defaultLanguage: 'da', languages: ['da', 'en'], timeZone: 'Europe/Copenhagen' };
const payload = (fields: Partial<NoticePayload> = {}): NoticePayload => ({
  pages: [page],
  components: [
    { id: 'exchange', pageId: 'kommune', name: 'Exchange Online' },
    { id: 'mail', pageId: 'kommune', name: { da: 'Kommunens post', en: 'Council mail' } },
  ],
  thirdParty: { id: 'exchange', name: 'Exchange Online' },
  change: 'new',
  notice: { id: 'n1', kind: 'incident', impact: 'degraded', title: 'Mail <b>delayed</b>', body: 'Investigating <script>x</script>', url: 'https://status.example.com/i/1', startsAt: null, endsAt: null, lastSeenAt: '2026-12-01T11:00:00.000Z', endedAt: null },
  ...fields,
});
const links = { pageUrl: 'https://status.example/kommune/', manageUrl: 'https://status.example/m?t=abc', unsubscribeUrl: 'https://status.example/u?t=abc' };

describe('a third-party notice as mail and webhook', () => {
  it.each(MAIL_LANGUAGES)('in %s: names the third party in our words and quotes its text, escaped in HTML', (language) => {
    const mail = renderEventMail({ kind: 'third_party_notice', payload: payload(), pageId: 'kommune', language, links });
    expect(mail.subject.startsWith(language === 'en' ? '[Municipal status] Exchange Online ' : '[Kommunens status] Exchange Online ')).toBe(true);
    expect(mail.subject.endsWith(': Mail <b>delayed</b>')).toBe(true);
    expect(mail.text).toContain('Investigating <script>x</script>');
    expect(mail.html).toContain('Investigating &lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://status.example.com/i/1"');
  });

  it('says when it ended, and gives a maintenance its planned times in the page time zone', () => {
    expect(renderEventMail({ kind: 'third_party_notice', payload: payload({ change: 'ended' }), pageId: 'kommune', language: 'en', links }).subject).toBe('[Municipal status] Exchange Online no longer reports: Mail <b>delayed</b>');
    const maintenance = payload({ notice: { ...payload().notice, kind: 'maintenance', impact: 'maintenance', title: 'Upgrade', startsAt: '2026-12-03T22:00:00.000Z', endsAt: '2026-12-04T02:00:00.000Z' } });
    const mail = renderEventMail({ kind: 'third_party_notice', payload: maintenance, pageId: 'kommune', language: 'en', links });
    expect(mail.subject).toBe('[Municipal status] Exchange Online: planned maintenance: Upgrade');
    expect(mail.text).toContain('Planned from 3 Dec 2026, 23:00 CET to 4 Dec 2026, 03:00 CET.');
  });

  it('gives webhooks the notice in a shape of its own, with the third party text as it came', () => {
    const body = renderWebhookPayload({ kind: 'third_party_notice', payload: payload(), pageId: 'kommune', deliveryId: 'd1' }) as { meta: { event: string }; third_party_notice: Record<string, unknown> };
    expect(body.meta.event).toBe('third_party_notice');
    expect(body.third_party_notice).toMatchObject({ id: 'n1', change: 'new', third_party: { id: 'exchange', name: 'Exchange Online' }, title: 'Mail <b>delayed</b>', components: [{ id: 'exchange', name: 'Exchange Online' }, { id: 'mail', name: 'Kommunens post' }] });
  });
});
