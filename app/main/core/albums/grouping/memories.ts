// Memories for the Photos screen: "On this day" (today's date in earlier years) and trips (events
// spent away from home, home being the town where most photos were taken).
import type { BuiltAlbum } from './automatic.ts';
import { eventAlbums } from './automatic.ts';
import { isSensitive } from '../snapshot.ts';
import type { Snapshot } from '../snapshot.ts';
import type { Memory } from '../../../../shared/types.ts';

export type { Memory } from '../../../../shared/types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** At most this many trips are offered, the most recent first. */
export const MAX_TRIPS = 8;
/** An event is a trip when fewer than this share of its located photos were taken at home. */
const HOME_SHARE = 0.5;

const pad = (n: number): string => String(n).padStart(2, '0');
const dayId = (d: Date): string => `day:${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Albums of local days: the days `keep` accepts, newest first, each in time order. */
function dayAlbums(s: Snapshot, keep: (d: Date) => boolean): BuiltAlbum[] {
  const byDay = new Map<string, BuiltAlbum['members']>();
  for (const entry of s.view.values()) {
    const d = new Date(entry.date);
    if (!keep(d) || isSensitive(s, entry.hash)) continue;
    const id = dayId(d);
    byDay.set(id, [...(byDay.get(id) ?? []), { entry, score: null }]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([id, members]) => {
      members.sort((a, b) => a.entry.date - b.entry.date || (a.entry.path < b.entry.path ? -1 : 1));
      const d = new Date(members[0]!.entry.date);
      return {
        summary: {
          id,
          name: `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`,
          kind: 'memory' as const,
          count: members.length,
          coverId: members[0]!.entry.id,
        },
        members,
      };
    });
}

/** One album per earlier year with photos taken on today's month and day, newest year first. */
export function onThisDayAlbums(s: Snapshot, now: Date): BuiltAlbum[] {
  return dayAlbums(
    s,
    (d) => d.getMonth() === now.getMonth() && d.getDate() === now.getDate() && d.getFullYear() < now.getFullYear(),
  );
}

/** The album of one local day by its id ("day:2019-06-14"), or null when no photo was taken then. */
export function dayAlbum(s: Snapshot, id: string): BuiltAlbum | null {
  if (!/^day:\d{4}-\d{2}-\d{2}$/.test(id)) return null;
  return dayAlbums(s, (d) => dayId(d) === id)[0] ?? null;
}

/** The town where most located photos were taken; null when none is located. */
export function homePlace(s: Snapshot): string | null {
  const counts = new Map<string, number>();
  for (const e of s.view.values()) if (e.place !== null) counts.set(e.place, (counts.get(e.place) ?? 0) + 1);
  let best: string | null = null;
  for (const [place, n] of counts) if (best === null || n > counts.get(best)!) best = place;
  return best;
}

/** Events spent mostly away from home, most recent first, named by where most of them happened. */
export function trips(s: Snapshot): { album: BuiltAlbum; place: string }[] {
  const home = homePlace(s);
  if (home === null) return [];
  const out: { album: BuiltAlbum; place: string }[] = [];
  for (const album of eventAlbums(s)) {
    const counts = new Map<string, number>();
    for (const { entry } of album.members)
      if (entry.place !== null) counts.set(entry.place, (counts.get(entry.place) ?? 0) + 1);
    const located = [...counts.values()].reduce((a, b) => a + b, 0);
    if (located === 0 || (counts.get(home) ?? 0) >= located * HOME_SHARE) continue;
    const place = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    out.push({ album, place });
    if (out.length >= MAX_TRIPS) break;
  }
  return out;
}

/** What the Photos screen offers: "On this day" first, then trips. */
export function memoriesOf(s: Snapshot, now: Date): Memory[] {
  const years = (y: number): string => (y === 1 ? '1 year ago' : `${y} years ago`);
  const day = onThisDayAlbums(s, now).map((a): Memory => ({
    albumId: a.summary.id,
    kind: 'on-this-day',
    title: years(now.getFullYear() - new Date(a.members[0]!.entry.date).getFullYear()),
    subtitle: a.summary.name,
    count: a.summary.count,
    coverId: a.summary.coverId!,
  }));
  const away = trips(s).map(({ album, place }): Memory => ({
    albumId: album.summary.id,
    kind: 'trip',
    title: place,
    subtitle: album.summary.name,
    count: album.summary.count,
    coverId: album.summary.coverId!,
  }));
  return [...day, ...away];
}
