import { describe, expect, it } from 'vitest';
import type { IncidentUpdatePayload, WindowPayload } from '../../api/index.ts';
import { MAIL_LANGUAGES, MAIL_MESSAGES, renderConfirmMail, renderEventMail } from './index.ts';

const page = { id: 'kommune', name: { da: 'Kommunens status', en: 'Municipal status' }, defaultLanguage: 'da', languages: ['da', 'en'], timeZone: 'Europe/Copenhagen' };
const components = [
  { id: 'login', pageId: 'kommune', name: { da: 'Log ind', en: 'Login' } },
  { id: 'mail', pageId: 'kommune', name: 'Mail' },
];
const incident: IncidentUpdatePayload = {
  pages: [page],
  components,
  incident: { id: 'i1', title: { da: 'Langsomt log ind', en: 'Slow login' }, priority: 'B' },
  update: { id: 'u1', status: 'identified', step: 'nature', body: { da: 'Vi kender årsagen <script>.', en: 'We know the cause <script>.' }, publishedAt: '2026-03-29T00:30:00Z', estimatedFixAt: '2026-03-29T02:30:00Z' },
};
const links = { pageUrl: 'https://status.example/kommune/', manageUrl: 'https://status.example/m?t=abc', unsubscribeUrl: 'https://status.example/u?t=abc' };

describe('renderEventMail', () => {
  it('renders an incident update in Danish with both parts saying the same, times in the page time zone across the DST change', () => {
    const mail = renderEventMail({ kind: 'incident_update', payload: incident, pageId: 'kommune', language: 'da', links });
    expect(mail.subject).toBe('[Kommunens status] Afgrænset: Langsomt log ind');
    expect(mail.text).toContain('Berører: Log ind, Mail');
    expect(mail.text).toContain('Vi kender årsagen <script>.');
    // 00:30Z is 01:30 CET; 02:30Z is 04:30 CEST (clocks moved at 02:00 local)
    expect(mail.text).toMatch(/01\.30/);
    expect(mail.text).toMatch(/04\.30/);
    expect(mail.html).toContain('Vi kender årsagen &lt;script&gt;.');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Afmeld: https://status.example/u?t=abc');
    expect(mail.html).toContain('href="https://status.example/m?t=abc"');
  });

  it('marks the fallback language when the update has no text in the reader’s language', () => {
    const mail = renderEventMail({ kind: 'incident_update', payload: incident, pageId: 'kommune', language: 'sv', links });
    expect(mail.text).toContain('Vi kender årsagen');
    expect(mail.text).toContain('Texten är inte översatt till svenska; den visas på dansk.');
    const english = renderEventMail({ kind: 'incident_update', payload: incident, pageId: 'kommune', language: 'en', links });
    expect(english.text).not.toContain('has not been translated');
  });

  it.each(MAIL_LANGUAGES)('renders every kind of mail in %s with no placeholder left', (language) => {
    const window: WindowPayload = { pages: [page], components, window: { id: 'w1', title: 'Upgrade', plannedStart: '2026-02-07T04:00:00Z', plannedEnd: '2026-02-07T07:00:00Z', actualStart: '2026-02-07T04:05:00Z', actualEnd: null, extendedUntil: '2026-02-07T08:00:00Z' } };
    const mails = [
      renderEventMail({ kind: 'incident_update', payload: incident, pageId: 'kommune', language, links }),
      ...(['window_announced', 'window_started', 'window_ended', 'window_cancelled', 'window_overrunning'] as const).map((kind) => renderEventMail({ kind, payload: window, pageId: 'kommune', language, links })),
      renderConfirmMail({ page, language, confirmUrl: 'https://status.example/c?t=x', pageUrl: links.pageUrl }),
    ];
    for (const mail of mails) {
      expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/\{\w+\}/);
      expect(mail.html).toContain(`<html lang="${language}">`);
    }
    expect(mails[2]!.text).toContain(MAIL_MESSAGES[language].windowOverrun.split('{')[0]);
    // overrunning names the end that passed (the extension here) and does not claim the window has ended
    expect(mails[5]!.subject).toContain(MAIL_MESSAGES[language].windowOverrunningSubject.split('{')[0]!.trim());
    expect(mails[5]!.subject).not.toContain(MAIL_MESSAGES[language].windowEndedSubject.split('{')[0]!.trim());
    expect(mails[6]!.text).toContain('https://status.example/c?t=x');
    expect(mails[6]!.text).not.toContain(MAIL_MESSAGES[language].unsubscribe);
  });

  it('writes a window\'s title and description in the reader\'s language, and marks the default language where one is missing', () => {
    const window: WindowPayload = {
      pages: [page],
      components,
      window: { id: 'w2', title: { da: 'Opgradering af log ind', en: 'Login upgrade' }, description: { da: 'Log ind er væk i ti minutter.' }, plannedStart: '2026-02-07T04:00:00Z', plannedEnd: '2026-02-07T07:00:00Z', actualStart: null, actualEnd: null, extendedUntil: null },
    };
    const danish = renderEventMail({ kind: 'window_announced', payload: window, pageId: 'kommune', language: 'da', links });
    expect(danish.text).toContain('Opgradering af log ind');
    expect(danish.text).toContain('Log ind er væk i ti minutter.');
    expect(danish.text).not.toContain('ikke oversat');
    const english = renderEventMail({ kind: 'window_announced', payload: window, pageId: 'kommune', language: 'en', links });
    expect(english.subject).toContain('Login upgrade');
    expect(english.subject).not.toContain('[da]');
    // the description exists in Danish only: shown in Danish, said so in words and in the HTML's lang
    expect(english.text).toContain('Log ind er væk i ti minutter.');
    expect(english.text).toContain('This text has not been translated into English; it is shown in dansk.');
    expect(english.html).toContain('<p lang="da">Log ind er væk i ti minutter.</p>');
    const swedish = renderEventMail({ kind: 'window_announced', payload: window, pageId: 'kommune', language: 'sv', links });
    expect(swedish.subject).toContain('Opgradering af log ind [da]');
    expect(swedish.html).toContain('<h1 style="font-size:20px" lang="da">Opgradering af log ind</h1>');
  });

  it('marks an incident title shown in the default language in the subject', () => {
    const mail = renderEventMail({ kind: 'incident_update', payload: { ...incident, incident: { ...incident.incident, title: { da: 'Langsomt log ind' } } }, pageId: 'kommune', language: 'en', links });
    expect(mail.subject).toBe('[Municipal status] Identified: Langsomt log ind [da]');
  });

  it('every catalogue has the same keys, each a non-empty text', () => {
    const keys = Object.keys(MAIL_MESSAGES.en).sort();
    for (const language of MAIL_LANGUAGES) {
      expect(Object.keys(MAIL_MESSAGES[language]).sort()).toEqual(keys);
      expect(Object.values(MAIL_MESSAGES[language]).every((v) => v.length > 0)).toBe(true);
    }
  });
});
