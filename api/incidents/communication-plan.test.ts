import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CoverageSpec } from '../sla/index.ts';
import { communicationClock } from './communication-plan.ts';
import { fillEstimate, renderTemplate, templateTexts, TEMPLATE_LANGUAGES } from './templates.ts';

const CPH = 'Europe/Copenhagen';
const at = (iso: string) => DateTime.fromISO(iso, { zone: CPH }).toMillis();
const local = (ms: number | null | undefined) => (ms == null ? null : DateTime.fromMillis(ms, { zone: CPH }).toFormat('ccc HH:mm'));
const schoolDays: CoverageSpec = { kind: 'business-hours', weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '16:00', calendar: { holidays: { country: 'DK' } } };
const always: CoverageSpec = { kind: 'always' };

describe('communicationClock', () => {
  it('gives the deadlines of UNI-Login §7 from registration: 15, 30, 90 minutes', () => {
    const clock = communicationClock({ priority: 'A', registeredAt: at('2026-03-10T10:00'), resolvedAt: null, published: [], coverage: always, timeZone: CPH, now: at('2026-03-10T10:05') });
    expect(clock.steps.map((s) => [s.step, local(s.dueAt), s.state])).toEqual([
      ['registered', 'Tue 10:15', 'pending'],
      ['nature', 'Tue 10:30', 'pending'],
      ['status_estimate', 'Tue 11:30', 'pending'],
      ['running_status', 'Tue 12:30', 'pending'],
    ]);
    expect(clock.next).toEqual({ step: 'registered', dueAt: at('2026-03-10T10:15') });
  });

  it('runs in covered time: registered Friday 17:00 under school-day coverage, due Monday morning', () => {
    const clock = communicationClock({ priority: 'B', registeredAt: at('2026-03-13T17:00'), resolvedAt: null, published: [], coverage: schoolDays, timeZone: CPH, now: at('2026-03-14T12:00') });
    expect(clock.steps.slice(0, 3).map((s) => [s.step, local(s.dueAt), s.state])).toEqual([
      ['registered', 'Mon 08:15', 'pending'],
      ['nature', 'Mon 08:30', 'pending'],
      ['status_estimate', 'Mon 09:30', 'pending'],
    ]);
  });

  it('tells fulfilled, late and overdue steps, and the next due', () => {
    const clock = communicationClock({
      priority: 'A',
      registeredAt: at('2026-03-10T10:00'),
      resolvedAt: null,
      published: [
        { step: 'registered', at: at('2026-03-10T10:05') },
        { step: 'nature', at: at('2026-03-10T10:45') },
      ],
      coverage: always,
      timeZone: CPH,
      now: at('2026-03-10T11:40'),
    });
    expect(clock.steps.slice(0, 3).map((s) => [s.step, s.state])).toEqual([
      ['registered', 'fulfilled'],
      ['nature', 'late'],
      ['status_estimate', 'overdue'],
    ]);
    expect(clock.next?.step).toBe('status_estimate');
  });

  it('needs no nature or estimate when fixed before they were due, then wants "operation normal"', () => {
    const clock = communicationClock({ priority: 'A', registeredAt: at('2026-03-10T10:00'), resolvedAt: at('2026-03-10T10:20'), published: [{ step: 'registered', at: at('2026-03-10T10:02') }], coverage: always, timeZone: CPH, now: at('2026-03-10T10:50') });
    expect(clock.steps.map((s) => [s.step, s.state])).toEqual([
      ['registered', 'fulfilled'],
      ['nature', 'not_needed'],
      ['status_estimate', 'not_needed'],
      ['operation_normal', 'overdue'],
      ['post_incident_report', 'optional'],
    ]);
  });

  it('has no plan for priorities C and D', () => {
    expect(communicationClock({ priority: 'C', registeredAt: 0, resolvedAt: null, published: [], coverage: always, timeZone: CPH, now: 1 })).toEqual({ steps: [], next: null });
  });
});

describe('templates', () => {
  it.each(TEMPLATE_LANGUAGES)('has a filled text for every step in %s', (language) => {
    for (const step of ['registered', 'nature', 'status_estimate', 'running_status', 'operation_normal', 'post_incident_report'] as const) {
      const text = renderTemplate({ step, languages: [language], components: { [language]: 'Login' }, estimate: new Date('2026-03-10T12:00:00Z'), timeZone: CPH })[language]!;
      expect(text).toContain('Login');
      expect(text).not.toMatch(/\{\w+\}/);
    }
  });

  it('writes the estimate in the page time zone, or says it is not known', () => {
    expect(renderTemplate({ step: 'status_estimate', languages: ['en'], components: { en: 'Login' }, estimate: new Date('2026-03-10T12:00:00Z'), timeZone: CPH }).en).toBe('We are still working on the problem with Login. Expected fix: 10 Mar 2026, 13:00.');
    expect(renderTemplate({ step: 'status_estimate', languages: ['da'], components: { da: 'Login' }, estimate: null, timeZone: CPH }).da).toBe('Vi arbejder fortsat på at løse problemet med Login. Forventet løst: ikke kendt endnu.');
  });

  it('offers the template with {estimate} kept, and fills it in the text\'s own language when published', () => {
    const offered = templateTexts({ step: 'status_estimate', languages: ['da', 'en'], components: { da: 'Log ind', en: 'Login' } });
    expect(offered.en).toBe('We are still working on the problem with Login. Expected fix: {estimate}.');
    expect(fillEstimate({ text: offered.da!, language: 'da', estimate: new Date('2026-03-10T12:00:00Z'), timeZone: CPH })).toBe('Vi arbejder fortsat på at løse problemet med Log ind. Forventet løst: 10. mar. 2026, 13.00.');
    expect(fillEstimate({ text: 'Back by {estimate}', language: 'en', estimate: null, timeZone: CPH })).toBe('Back by not known yet');
    expect(fillEstimate({ text: 'No placeholder', language: 'en', estimate: null, timeZone: CPH })).toBe('No placeholder');
  });
});
