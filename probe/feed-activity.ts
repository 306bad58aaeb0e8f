import type { FeedEntry } from './feed-entries.ts';

/**
 * Words by which a feed marks an entry as over. Providers put them in the
 * title ("RESOLVED: Storage in West Europe", "Mitigated - …") or at the head
 * of a line of the text (Statuspage's "Resolved - This incident has been
 * resolved."). In running prose they mean less ("mitigated for some
 * customers"), so the text counts only where a line begins with one.
 */
const OVER_WORD = /\b(resolved|mitigated|ended|completed)\b/i;
const OVER_LINE_START = /^[\W_]*(resolved|mitigated|ended|completed)\b/i;
/** The latest update comes first; older lines may well say an earlier phase ended. */
const LEADING_LINES = 3;

/** Whether the entry says it is over. */
export function isOver(entry: Pick<FeedEntry, 'title' | 'body'>): boolean {
  if (OVER_WORD.test(entry.title)) return true;
  return entry.body.split('\n').slice(0, LEADING_LINES).some((line) => OVER_LINE_START.test(line));
}

/** Whether the entry is about this component: any keyword in its title, text or categories (case-insensitive); every entry without keywords. */
export function matches(entry: Pick<FeedEntry, 'title' | 'body' | 'categories'>, keywords: readonly string[]): boolean {
  if (keywords.length === 0) return true;
  const haystack = [entry.title, entry.body, ...entry.categories].join('\n').toLowerCase();
  return keywords.some((keyword) => haystack.includes(keyword.toLowerCase()));
}

/**
 * The entries that are active now: about this component, not marked over,
 * and last updated within `activeWithinHours` (an entry with no date of its
 * own is aged by the feed's date; with neither, it counts as active, since
 * the feed still lists it).
 */
export function activeEntries(args: { entries: readonly FeedEntry[]; feedUpdatedAt: string | undefined; keywords: readonly string[]; activeWithinHours: number; now: Date }): FeedEntry[] {
  const oldestMs = args.now.getTime() - args.activeWithinHours * 3_600_000;
  return args.entries.filter((entry) => {
    if (!matches(entry, args.keywords) || isOver(entry)) return false;
    const lastUpdate = entry.updatedAt ?? entry.publishedAt ?? args.feedUpdatedAt;
    return lastUpdate === undefined || Date.parse(lastUpdate) >= oldestMs;
  });
}
