// The order and filter of the tag vocabulary as the tags screen lists it.
import type { TagEntry } from '../../../../shared/types.ts';

/**
 * The user's own tags first (the ones they are most likely to look for), then the built-in ones
 * by group and name; a filter matches the name or the group, in any case.
 */
export function matchingTags(list: readonly TagEntry[], filter: string): TagEntry[] {
  const f = filter.trim().toLowerCase();
  const rank = (t: TagEntry): number => (t.builtin ? 1 : 0);
  return list
    .filter((t) => f === '' || t.name.toLowerCase().includes(f) || t.group.toLowerCase().includes(f))
    .sort((a, b) => rank(a) - rank(b) || a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}
