import { describe, expect, it } from 'vitest';
import { placeFailure, shelterSpan, type Failure, type OpenIncidentFacts } from './group-failures.ts';
import { automaticTitle } from './automatic-title.ts';

const at = (hhmm: string) => new Date(`2026-03-20T${hhmm}:00Z`);
const failure = (fields: Partial<Failure>): Failure => ({ componentId: 'mail', groupId: 'office', pageId: 'p', state: 'down', since: at('09:00'), sheltered: false, beganInWindow: false, ...fields });
const incident = (fields: Partial<OpenIncidentFacts>): OpenIncidentFacts => ({ id: 'i1', pageId: 'p', automatic: true, componentIds: ['esdh'], groupIds: new Set(['records']), detectedAt: at('09:00'), ownOnly: false, ...fields });
const SPAN = 2 * 60_000;

describe('placeFailure', () => {
  it.each([
    { name: 'a component in an active window gets nothing', f: failure({ sheltered: true, componentId: 'esdh' }), open: [incident({})], want: { kind: 'sheltered' } },
    { name: 'a component already in an incident stays there', f: failure({ componentId: 'esdh', groupId: 'records' }), open: [incident({})], want: { kind: 'covered', incidentId: 'i1' } },
    { name: 'an operator incident covers its components too', f: failure({ componentId: 'esdh' }), open: [incident({ automatic: false })], want: { kind: 'covered', incidentId: 'i1' } },
    { name: 'same group joins, however late', f: failure({ groupId: 'records', since: at('11:00') }), open: [incident({})], want: { kind: 'join', incidentId: 'i1' } },
    { name: 'another group within the span joins', f: failure({ since: at('09:02') }), open: [incident({})], want: { kind: 'join', incidentId: 'i1' } },
    { name: 'another group just past the span opens its own', f: failure({ since: new Date(at('09:02').getTime() + 1) }), open: [incident({})], want: { kind: 'open' } },
    { name: 'another group minutes later opens its own', f: failure({ since: at('09:05') }), open: [incident({})], want: { kind: 'open' } },
    { name: 'an operator incident takes nobody in', f: failure({ groupId: 'records' }), open: [incident({ automatic: false })], want: { kind: 'open' } },
    { name: 'another page never joins', f: failure({ pageId: 'q', groupId: 'records' }), open: [incident({})], want: { kind: 'open' } },
    { name: 'a failure from inside a window opens its own', f: failure({ groupId: 'records', beganInWindow: true }), open: [incident({})], want: { kind: 'open' } },
    { name: 'an incident of a window failure takes nobody in', f: failure({ groupId: 'records' }), open: [incident({ ownOnly: true })], want: { kind: 'open' } },
    { name: 'span 0 keeps only the group rule', f: failure({ since: at('09:00') }), open: [incident({})], span: 0, want: { kind: 'join', incidentId: 'i1' } },
  ])('$name', ({ f, open, want, span }) => {
    expect(placeFailure(f, open, { groupWithinMs: span ?? SPAN })).toEqual(want);
  });
});

describe('shelterSpan', () => {
  it('ends at the planned end, or at an earlier actual end; overrun is not sheltered', () => {
    expect(shelterSpan({ plannedStart: at('08:00'), plannedEnd: at('10:00'), actualEnd: null })).toEqual({ start: at('08:00').getTime(), end: at('10:00').getTime() });
    expect(shelterSpan({ plannedStart: at('08:00'), plannedEnd: at('10:00'), actualEnd: at('09:00') }).end).toBe(at('09:00').getTime());
    expect(shelterSpan({ plannedStart: at('08:00'), plannedEnd: at('10:00'), actualEnd: at('11:00') }).end).toBe(at('10:00').getTime());
  });
});

describe('automaticTitle', () => {
  const esdh = { name: { da: 'ESDH', en: 'Records' }, state: 'down' as const };
  const mail = { name: { da: 'Post', en: 'Mail' }, state: 'degraded' as const };
  it('names what is affected, in every language, down first', () => {
    const title = automaticTitle([mail, esdh]);
    expect(title.en).toBe('Records: unavailable; Mail: degraded');
    expect(title.da).toBe('ESDH: utilgængelig; Post: nedsat ydelse');
    expect(Object.keys(title).sort()).toEqual(['da', 'en', 'it', 'nb', 'sv']);
  });
  it('lists up to three names and counts the rest', () => {
    const many = ['A', 'B', 'C', 'D', 'E'].map((n) => ({ name: n, state: 'down' as const }));
    expect(automaticTitle(many.slice(0, 2)).en).toBe('A and B: unavailable');
    expect(automaticTitle(many).en).toBe('A, B, C and 2 more: unavailable');
    expect(automaticTitle(many).sv).toBe('A, B, C och 2 fler: otillgänglig');
  });
});
