import { describe, expect, it } from 'vitest';
import type { ThirdPartyNotice } from '../../probe/index.ts';
import { diffNotices, type StoredNotice } from './diff-notices.ts';

const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
const listed = (externalId: string, fields: Partial<ThirdPartyNotice> = {}): ThirdPartyNotice => ({ externalId, kind: 'incident', impact: 'degraded', title: `Title ${externalId}`, ...fields });
const stored = (externalId: string, fields: Partial<StoredNotice> = {}): StoredNotice => ({
  id: `row-${externalId}`,
  externalId,
  kind: 'incident',
  impact: 'degraded',
  title: `Title ${externalId}`,
  body: null,
  url: null,
  startsAt: null,
  endsAt: null,
  updatedAt: null,
  lastSeenAt: at('10:00'),
  endedAt: null,
  ...fields,
});

describe('diffNotices', () => {
  const cases: { name: string; stored: StoredNotice[]; listed: ThirdPartyNotice[]; readAt: Date; insert: string[]; refresh: [string, string | null][]; end: string[] }[] = [
    { name: 'a first read takes every notice', stored: [], listed: [listed('a'), listed('b')], readAt: at('10:00'), insert: ['a', 'b'], refresh: [], end: [] },
    { name: 'the same text again is a sighting, not news', stored: [stored('a')], listed: [listed('a')], readAt: at('10:05'), insert: [], refresh: [['row-a', null]], end: [] },
    { name: 'a changed title is an update', stored: [stored('a')], listed: [listed('a', { title: 'Worse' })], readAt: at('10:05'), insert: [], refresh: [['row-a', 'updated']], end: [] },
    { name: 'a changed impact is an update', stored: [stored('a')], listed: [listed('a', { impact: 'down' })], readAt: at('10:05'), insert: [], refresh: [['row-a', 'updated']], end: [] },
    { name: 'a new url alone is no news', stored: [stored('a')], listed: [listed('a', { url: 'https://x.example/' })], readAt: at('10:05'), insert: [], refresh: [['row-a', null]], end: [] },
    { name: 'an empty list ends what was listed', stored: [stored('a'), stored('b')], listed: [], readAt: at('10:05'), insert: [], refresh: [], end: ['row-a', 'row-b'] },
    { name: 'a notice left out ends; the others stay', stored: [stored('a'), stored('b')], listed: [listed('b')], readAt: at('10:05'), insert: [], refresh: [['row-b', null]], end: ['row-a'] },
    { name: 'a replayed read changes nothing', stored: [stored('a')], listed: [listed('a', { title: 'Old' })], readAt: at('10:00'), insert: [], refresh: [], end: [] },
    { name: 'an older read neither ends nor rewrites', stored: [stored('a')], listed: [listed('b')], readAt: at('09:55'), insert: [], refresh: [], end: [] },
    { name: 'an older read brings back no notice a newer one had not', stored: [stored('a', { endedAt: at('10:05') })], listed: [listed('z')], readAt: at('10:02'), insert: [], refresh: [], end: [] },
    { name: 'an ended notice listed again by a newer read is new again', stored: [stored('a', { endedAt: at('10:05') })], listed: [listed('a')], readAt: at('10:10'), insert: [], refresh: [['row-a', 'new']], end: [] },
    { name: 'an ended notice is not ended twice', stored: [stored('a', { endedAt: at('10:05') })], listed: [], readAt: at('10:10'), insert: [], refresh: [], end: [] },
    { name: 'an id listed twice counts once', stored: [], listed: [listed('a'), listed('a', { title: 'Second' })], readAt: at('10:00'), insert: ['a'], refresh: [], end: [] },
  ];
  it.each(cases)('$name', (c) => {
    const diff = diffNotices({ stored: c.stored, listed: c.listed, readAt: c.readAt });
    expect(diff.insert.map((n) => n.externalId)).toEqual(c.insert);
    expect(diff.refresh.map((r) => [r.id, r.change])).toEqual(c.refresh);
    expect(diff.end).toEqual(c.end);
  });
});
