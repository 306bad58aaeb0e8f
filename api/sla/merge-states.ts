import type { MeasuredState, StateInterval } from './compute-availability.ts';

// down outranks not knowing, which outranks degraded, which outranks up
const RANK: Record<MeasuredState, number> = { up: 0, degraded: 1, unknown: 2, down: 3 };

/**
 * The state of a group of components (a service category) over time: down
 * while any member is down; else unknown while any member is unmeasured
 * (inside `within`, no state at all counts as unknown); else degraded while
 * any is degraded; else up.
 */
export function mergeStates(members: readonly (readonly StateInterval[])[], within: { start: number; end: number }): StateInterval[] {
  const cuts = new Set<number>([within.start, within.end]);
  for (const member of members) for (const s of member) for (const t of [s.start, s.end]) if (t > within.start && t < within.end) cuts.add(t);
  const points = [...cuts].sort((a, b) => a - b);
  const stateAt = (member: readonly StateInterval[], t: number): MeasuredState => member.find((s) => s.start <= t && t < s.end)?.state ?? 'unknown';
  const merged: StateInterval[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const worst = members.reduce<MeasuredState>((w, member) => {
      const state = stateAt(member, start);
      return RANK[state] > RANK[w] ? state : w;
    }, 'up');
    const last = merged.at(-1);
    if (last && last.state === worst && last.end === start) last.end = points[i + 1]!;
    else merged.push({ state: worst, start, end: points[i + 1]! });
  }
  return merged;
}
