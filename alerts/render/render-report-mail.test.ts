import { describe, expect, it } from 'vitest';
import type { ReportDocument, ReportLine } from '../../api/index.ts';
import type { sla } from '../../api/index.ts';
import type { DigestPayload } from '../jobs/queue-digest.ts';
import type { ReportPayload } from '../jobs/queue-report.ts';
import { formatPercent, formatPeriod, MAIL_LANGUAGES, MAIL_MESSAGES, renderDigestMail, renderReportMail, REPORT_MESSAGES, type MailLanguage } from './index.ts';
import { fill } from './messages.ts';

const LOGIN = { da: 'Log ind', nb: 'Logg inn', sv: 'Logga in', it: 'Accesso', en: 'Login' };
const MAIL = { da: 'Post', nb: 'E-post', sv: 'E-post', it: 'Posta', en: 'Mail' };
const CATEGORY = { da: 'Borgerrettet', nb: 'Innbyggerrettet', sv: 'Medborgartjänster', it: 'Servizi ai cittadini', en: 'Citizen services' };
const PAGE = { da: 'Driftsstatus', nb: 'Driftsstatus NO', sv: 'Driftstatus SE', it: 'Stato dei servizi', en: 'Service status' };

function figures(potentialSeconds: number, downSeconds: number, target: number | null): sla.AvailabilityFigures {
  const availability = potentialSeconds > 0 ? (potentialSeconds - downSeconds) / potentialSeconds : null;
  return {
    potentialSeconds,
    availableSeconds: potentialSeconds - downSeconds,
    downSeconds,
    coveredSeconds: potentialSeconds,
    windowSeconds: 0,
    overrunSeconds: 0,
    excludedSeconds: 0,
    excludedSecondsByReason: {},
    degradedSeconds: 0,
    unmeasuredSeconds: 0,
    availability,
    target,
    met: target === null || availability === null ? null : availability >= target,
    errorBudgetSeconds: target === null ? 0 : (1 - target) * potentialSeconds,
    errorBudgetLeftSeconds: target === null ? 0 : (1 - target) * potentialSeconds - downSeconds,
  };
}

function line(args: { scope?: 'component' | 'category'; id: string; names: Record<string, string>; down: number; measured?: boolean[]; months?: string[] }): ReportLine {
  const months = args.months ?? ['2026-03'];
  const measured = args.measured ?? months.map(() => true);
  return {
    scope: args.scope ?? 'component',
    id: args.id,
    name: args.names.en!,
    names: args.names,
    profileId: 'std',
    category: 'citizen',
    status: 'final',
    figures: figures(31 * 86_400 - 3_600, args.down, 0.995),
    months: months.map((key, i) => ({ key, status: 'final', measured: measured[i]!, version: 1, contentSha256: 'ab' })),
    measured: measured.some(Boolean),
  };
}

const counts = (fulfilled: number, late: number, missed: number) => ({ fulfilled, late, missed });
const none = () => ({ incidents: 0, reaction: counts(0, 0, 0), communication: counts(0, 0, 0) });

function aReport(overrides: Partial<ReportDocument> = {}): ReportDocument {
  const components = [line({ id: 'login', names: LOGIN, down: 7_200 }), line({ id: 'mail', names: MAIL, down: 0, measured: [false] })];
  return {
    page: { id: 'kommune', name: PAGE },
    period: { key: '2026-03', kind: 'month' },
    status: 'final',
    generatedAt: '2026-04-07T06:00:00Z',
    components,
    categories: [line({ scope: 'category', id: 'std.citizen', names: CATEGORY, down: 7_200 })],
    measured: true,
    exclusions: [
      // an author must never reach the mail, even if a document carried one
      { id: 'x1', componentIds: ['login'], start: '2026-03-10T10:00:00Z', end: '2026-03-10T11:00:00Z', reason: 'force_majeure', note: 'Power cut <b>in</b> the data centre', author: 'drift@kommune.example' } as ReportDocument['exclusions'][number],
    ],
    rules: {} as ReportDocument['rules'],
    total: { potentialSeconds: 2 * (31 * 86_400 - 3_600), downSeconds: 7_200, availableSeconds: 2 * (31 * 86_400 - 3_600) - 7_200, availability: 1 - 7_200 / (2 * (31 * 86_400 - 3_600)) },
    incidents: { A: { incidents: 2, reaction: counts(1, 1, 0), communication: counts(5, 2, 1) }, B: none(), C: none(), D: none() },
    ...overrides,
  };
}

function aPayload(language: string, report: ReportDocument = aReport()): ReportPayload {
  return { pageId: 'kommune', pageName: 'Service status', periodKey: report.period.key, status: report.status, csv: '', statements: [], report, language, timeZone: 'Europe/Copenhagen' };
}
const pageUrl = 'https://status.example/pages/kommune/';
const both = (mail: { text: string; html: string }) => [mail.text, mail.html];

describe('renderReportMail', () => {
  it.each(MAIL_LANGUAGES)('renders the report in %s: figures against target, fulfilment per priority, the exclusion with its note', (language) => {
    const m = REPORT_MESSAGES[language];
    const report = aReport();
    const mail = renderReportMail({ payload: aPayload(language, report), pageUrl });
    expect(mail.subject).toBe(fill(m.reportSubject, { period: formatPeriod('2026-03', language), page: PAGE[language] }));
    const login = formatPercent(report.components[0]!.figures.availability!, language);
    const total = formatPercent(report.total.availability!, language);
    for (const part of both(mail)) {
      expect(part).toContain(LOGIN[language]);
      expect(part).toContain(MAIL[language]);
      expect(part).toContain(CATEGORY[language]);
      expect(part).toContain(login);
      expect(part).toContain(total);
      expect(part).toContain(formatPercent(0.995, language));
      expect(part).toContain(m.reportMetYes);
      expect(part).toContain(m.reportLineNotMeasured);
      expect(part).toContain(m.reportFinal.slice(0, 8));
      expect(part).toContain(fill(m.reportCounts, { fulfilled: '1', late: '1', missed: '0' }));
      expect(part).toContain(fill(m.reportCounts, { fulfilled: '5', late: '2', missed: '1' }));
      expect(part).toContain(m.exclusion_force_majeure);
      expect(part).not.toContain('drift@kommune.example');
      expect(part).not.toMatch(/\{\w+\}/);
    }
    expect(mail.text).toContain('Power cut <b>in</b> the data centre');
    expect(mail.html).toContain('Power cut &lt;b&gt;in&lt;/b&gt; the data centre');
    expect(mail.html).toContain(`<html lang="${language}">`);
    expect(mail.html).toContain(`<th scope="row" style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${LOGIN[language]}</th>`);
    expect(mail.text).toContain(`${m.reportSeeOnline}: ${pageUrl}sla/2026-03/`);
    // the English word must not leak into another language's mail
    if (language !== 'en') expect(mail.text).not.toContain('Availability');
  });

  it.each(MAIL_LANGUAGES)('says "not measured" in %s for a period before monitoring began, never "final"', (language) => {
    const m = REPORT_MESSAGES[language];
    const unmeasured = aReport({ measured: false, components: [line({ id: 'login', names: LOGIN, down: 0, measured: [false] })], categories: [], exclusions: [] });
    const mail = renderReportMail({ payload: aPayload(language, unmeasured), pageUrl });
    expect(mail.text).toContain(m.reportNotMeasured);
    expect(mail.text).not.toContain(m.reportFinal);
    // the target is a promise and stays; no availability figure is printed
    expect(mail.text).toMatch(new RegExp(`${m.reportPageTotal}\\s+${m.reportLineNotMeasured}`));
    expect(mail.text).toMatch(new RegExp(`${LOGIN[language]}\\s+${m.reportLineNotMeasured}`));
    expect(mail.text.replaceAll(formatPercent(0.995, language), '')).not.toMatch(/\d\s?%/);
    expect(mail.text).toContain(m.reportNoExclusions);
  });

  it.each(MAIL_LANGUAGES)('names the months of a tertial before monitoring began in %s', (language) => {
    const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
    const tertial = aReport({ period: { key: '2026-T1', kind: 'tertial' }, components: [line({ id: 'login', names: LOGIN, down: 0, months, measured: [false, false, true, true] })] });
    const mail = renderReportMail({ payload: aPayload(language, tertial), pageUrl });
    const unmeasured = ['2026-01', '2026-02'].map((k) => formatPeriod(k, language)).join(', ');
    expect(mail.text).toContain(fill(REPORT_MESSAGES[language].reportMonthsNotMeasured, { months: unmeasured }));
    expect(mail.subject).toContain(formatPeriod('2026-T1', language));
  });

  it('says there were no incidents when none was registered', () => {
    const mail = renderReportMail({ payload: aPayload('sv', aReport({ incidents: { A: none(), B: none(), C: none(), D: none() } })), pageUrl });
    expect(mail.text).toContain(REPORT_MESSAGES.sv.reportNoIncidents);
    expect(mail.text).not.toContain(REPORT_MESSAGES.sv.reportPriority);
  });

  it('falls back to English for a page language without mail texts, and renders a report queued before per-language mails from its summary', () => {
    expect(renderReportMail({ payload: aPayload('fi'), pageUrl }).subject).toBe(`SLA report March 2026: ${PAGE.en}`);
    const legacy = renderReportMail({ payload: { pageId: 'kommune', pageName: 'Service status', periodKey: '2026-03', status: 'final', csv: '', statements: [], summary: 'Total: 99.900 %' }, pageUrl });
    expect(legacy.text).toContain('Total: 99.900 %');
    expect(legacy.subject).toBe('SLA report March 2026: Service status');
  });
});

function aDigest(language: string): DigestPayload {
  return {
    pageId: 'kommune',
    pageName: 'Service status',
    pageNames: PAGE,
    from: '2026-05-04T06:00:00.000Z',
    to: '2026-05-11T06:00:00.000Z',
    until: '2026-05-18T06:00:00.000Z',
    timeZone: 'Europe/Copenhagen',
    incidents: [
      { priority: 'B', title: { da: 'Langsomt log ind', en: 'Slow login', sv: 'Långsam inloggning' }, status: 'resolved', registeredAt: '2026-05-05T09:00:00Z', resolvedAt: '2026-05-05T10:30:00Z' },
      { priority: 'A', title: 'SSO down', status: 'investigating', registeredAt: '2026-05-10T20:00:00Z', resolvedAt: null },
    ],
    windows: [
      { title: { da: 'Opdatering', en: 'Patching' }, plannedStart: '2026-05-06T20:00:00Z', plannedEnd: '2026-05-06T22:00:00Z', cancelled: true, emergency: false },
      { title: 'Upgrade', plannedStart: '2026-05-14T20:00:00Z', plannedEnd: '2026-05-14T23:00:00Z', cancelled: false, emergency: true },
    ],
    monthKey: '2026-05',
    month: aReport(),
    language,
  };
}

describe('renderDigestMail', () => {
  it.each(MAIL_LANGUAGES)('renders the digest in %s: titles, statuses and names in the page’s language, the month so far', (language: MailLanguage) => {
    const m = REPORT_MESSAGES[language];
    const mail = renderDigestMail({ payload: aDigest(language), pageUrl });
    expect(mail.subject).toContain(PAGE[language]);
    // a title not written in the page's language is shown in the first language it is written in
    const title = language === 'sv' ? 'Långsam inloggning' : language === 'en' ? 'Slow login' : 'Langsomt log ind';
    for (const part of both(mail)) {
      expect(part).toContain(fill(m.digestIncidents, { count: '2' }));
      expect(part).toContain(`[B] ${title} (${MAIL_MESSAGES[language].status_resolved})`);
      expect(part).toContain(m.digestStillOpen);
      expect(part).toContain(`(${m.digestCancelled})`);
      expect(part).toContain(`(${m.digestEmergency})`);
      expect(part).toContain(fill(m.digestMonth, { month: formatPeriod('2026-05', language) }));
      expect(part).toContain(LOGIN[language]);
      expect(part).toContain(formatPercent(aReport().components[0]!.figures.availability!, language));
      expect(part).not.toMatch(/\{\w+\}/);
    }
    expect(mail.text).toMatch(new RegExp(`${fill(m.digestWindows, { count: '1' }).replace(/[()]/g, '\\$&')}\\n-+\\n\\n`));
    expect(mail.html).toContain(`<html lang="${language}">`);
  });

  it('renders a digest queued before per-language mails in English from its summary', () => {
    const { month: _month, language: _language, pageNames: _names, ...legacy } = aDigest('da');
    const mail = renderDigestMail({ payload: { ...legacy, incidents: [], windows: [], monthSummary: 'Total: 100.000 %' }, pageUrl });
    expect(mail.subject).toContain('Digest');
    expect(mail.text).toContain('Total: 100.000 %');
  });
});

describe('the report and digest catalogues', () => {
  it.each(MAIL_LANGUAGES)('%s has every key of the English catalogue, each a non-empty text with the same placeholders', (language) => {
    const catalogue = REPORT_MESSAGES[language] as Record<string, string>;
    const english = REPORT_MESSAGES.en as Record<string, string>;
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(english).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
    for (const key of Object.keys(english)) {
      expect(catalogue[key]?.trim(), key).toBeTruthy();
      expect(placeholders(catalogue[key]!), key).toEqual(placeholders(english[key]!));
    }
  });

  it.each(MAIL_LANGUAGES.filter((l) => l !== 'en'))('%s is translated, not a copy of the English', (language) => {
    const catalogue = REPORT_MESSAGES[language] as Record<string, string>;
    const english = REPORT_MESSAGES.en as Record<string, string>;
    // words some languages share with English: force majeure, "No" in Italian
    const shared = new Set(['exclusion_force_majeure', 'reportMetNo']);
    expect(Object.keys(english).filter((k) => !shared.has(k) && catalogue[k] === english[k])).toEqual([]);
  });

});
