import { describe, expect, it } from 'vitest';
import { activeEntries, isOver, matches } from './feed-activity.ts';
import type { FeedEntry } from './feed-entries.ts';

const entry = (over: Partial<FeedEntry> = {}): FeedEntry => ({ id: 'e1', title: 'Storage latency in West Europe', body: '', categories: [], url: undefined, publishedAt: undefined, updatedAt: '2026-11-21T10:00:00.000Z', ...over });

describe('isOver', () => {
  it.each([
    { title: 'RESOLVED: Storage latency in West Europe', body: '', over: true },
    { title: 'Mitigated - Storage latency', body: '', over: true },
    { title: 'Maintenance ended: network upgrade', body: '', over: true },
    { title: 'Storage latency', body: 'Nov 21, 12:00 UTC\nResolved - This incident has been resolved.', over: true },
    { title: 'Network upgrade', body: 'Completed - The scheduled maintenance has been completed.', over: true },
    { title: 'Storage latency', body: 'Monitoring - A fix has been applied.\nIdentified - The cause is known.', over: false },
    { title: 'Storage latency', body: 'Impact has been mitigated for some customers; we keep working.', over: false },
    // an older update further down saying an earlier step ended is not the latest state
    { title: 'Storage latency', body: 'Investigating\nUpdate 3\nUpdate 2\nResolved - an earlier related issue', over: false },
  ])('$title / $body → $over', ({ title, body, over }) => {
    expect(isOver({ title, body })).toBe(over);
  });
});

describe('matches', () => {
  it.each([
    { keywords: [], over: {}, match: true },
    { keywords: ['west europe'], over: {}, match: true },
    { keywords: ['North Europe', 'WEST EUROPE'], over: {}, match: true },
    { keywords: ['Exchange'], over: { categories: ['Exchange Online'] }, match: true },
    { keywords: ['sql'], over: { body: 'Azure SQL Database is affected' }, match: true },
    { keywords: ['Teams'], over: {}, match: false },
  ])('$keywords → $match', ({ keywords, over, match }) => {
    expect(matches(entry(over), keywords)).toBe(match);
  });
});

describe('activeEntries', () => {
  const now = new Date('2026-11-21T12:00:00.000Z');
  it.each([
    { name: 'updated an hour ago', over: { updatedAt: '2026-11-21T11:00:00.000Z' }, feedUpdatedAt: undefined, active: true },
    { name: 'updated exactly 24 h ago', over: { updatedAt: '2026-11-20T12:00:00.000Z' }, feedUpdatedAt: undefined, active: true },
    { name: 'updated 25 h ago', over: { updatedAt: '2026-11-20T11:00:00.000Z' }, feedUpdatedAt: undefined, active: false },
    { name: 'only published, 2 h ago', over: { updatedAt: undefined, publishedAt: '2026-11-21T10:00:00.000Z' }, feedUpdatedAt: undefined, active: true },
    { name: 'undated in a feed built 2 days ago', over: { updatedAt: undefined }, feedUpdatedAt: '2026-11-19T12:00:00.000Z', active: false },
    { name: 'undated in an undated feed', over: { updatedAt: undefined }, feedUpdatedAt: undefined, active: true },
    { name: 'resolved an hour ago', over: { title: 'RESOLVED: Storage latency', updatedAt: '2026-11-21T11:00:00.000Z' }, feedUpdatedAt: undefined, active: false },
  ])('$name → active $active', ({ over, feedUpdatedAt, active }) => {
    expect(activeEntries({ entries: [entry(over)], feedUpdatedAt, keywords: [], activeWithinHours: 24, now })).toHaveLength(active ? 1 : 0);
  });
});
