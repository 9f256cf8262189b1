// The timeline: how many items each day holds, newest day first, in the same order as browsing,
// so the renderer can lay out day headers over the one index-addressed list it already pages in.
import { filterSql } from '../search/search.ts';
import type { SearchFilters } from '../search/search.ts';
import type { PhotoStore } from '../store/photo-store.ts';

import type { Timeline } from '../../../shared/types.ts';

export type { Timeline } from '../../../shared/types.ts';
/** The local calendar day, "2019-06-14" (capture dates are wall-clock times read as local time). */
export type TimelineDay = Timeline['days'][number];

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Runs of equal local days over dates sorted newest first. A Date is built only when a date
 * leaves the current day's bounds, so 100,000 photos over a few thousand days cost a few
 * thousand Date objects, not 100,000.
 */
export function daysOf(dates: ArrayLike<number>): TimelineDay[] {
  const days: TimelineDay[] = [];
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i]!;
    const current = days[days.length - 1];
    if (current && t >= start && t < end) {
      current.count += 1;
      continue;
    }
    const d = new Date(t);
    const y = d.getFullYear();
    const m = d.getMonth();
    const day = d.getDate();
    start = new Date(y, m, day).getTime();
    end = new Date(y, m, day + 1).getTime();
    const key = `${y}-${pad(m + 1)}-${pad(day)}`;
    // Dates sort newest first, so a day met again can only be the current one (DST edges aside).
    if (current?.day === key) current.count += 1;
    else days.push({ day: key, count: 1 });
  }
  return days;
}

export async function timeline(store: PhotoStore, filters?: SearchFilters): Promise<Timeline> {
  const { ids, dates } = await store.byDate(filterSql(filters));
  return { total: ids.length, days: daysOf(dates) };
}
