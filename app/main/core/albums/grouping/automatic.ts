import type { AlbumSummary } from '../album-types.ts';
import { eventName, MIN_EVENT_PHOTOS, splitEvents } from './events.ts';
import type { ContentEntry } from '../library-view.ts';
import { appliedTags, isSensitive } from '../snapshot.ts';
import type { Snapshot } from '../snapshot.ts';

/** A tag becomes an album once this many photos carry it. */
export const MIN_TAG_PHOTOS = 3;

export interface Member {
  entry: ContentEntry;
  score: number | null;
}

export interface BuiltAlbum {
  summary: AlbumSummary;
  members: Member[];
}

const byScoreThenDate = (a: Member, b: Member): number =>
  (b.score ?? -Infinity) - (a.score ?? -Infinity) ||
  b.entry.date - a.entry.date ||
  (a.entry.path < b.entry.path ? -1 : 1);

/**
 * One album per shown, non-sensitive tag with enough photos, cover = its best-scoring photo.
 * Photos flagged sensitive stay out of every automatic album.
 */
export function tagAlbums(s: Snapshot): BuiltAlbum[] {
  const members = new Map<string, Member[]>();
  for (const entry of s.view.values()) {
    const applied = appliedTags(s, entry.hash);
    if ([...applied.keys()].some((id) => s.vocab.byId.get(id)?.sensitive)) continue;
    for (const [id, score] of applied) {
      const c = s.vocab.byId.get(id);
      if (!c || c.hidden || c.sensitive) continue;
      const list = members.get(id) ?? [];
      list.push({ entry, score });
      members.set(id, list);
    }
  }
  const out: BuiltAlbum[] = [];
  for (const [id, list] of members) {
    if (list.length < MIN_TAG_PHOTOS) continue;
    list.sort(byScoreThenDate);
    const c = s.vocab.byId.get(id)!;
    out.push({
      summary: { id: `tag:${id}`, name: c.name, kind: 'tag', count: list.length, coverId: list[0]!.entry.id },
      members: list,
    });
  }
  return out.sort((a, b) => b.summary.count - a.summary.count || (a.summary.name < b.summary.name ? -1 : 1));
}

/** The cover of an event: a favourite, else the best-rated photo, else the first. */
function eventCover(s: Snapshot, photos: readonly ContentEntry[]): ContentEntry {
  const fav = photos.find((p) => s.marks.favourites.has(p.hash));
  if (fav) return fav;
  let best = photos[0]!;
  for (const p of photos) if ((s.marks.ratings.get(p.hash) ?? 0) > (s.marks.ratings.get(best.hash) ?? 0)) best = p;
  return best;
}

/** Events, newest first, each in date order. */
export function eventAlbums(s: Snapshot): BuiltAlbum[] {
  const photos = [...s.view.values()].filter((e) => !isSensitive(s, e.hash));
  const out: BuiltAlbum[] = [];
  for (const ev of splitEvents(photos)) {
    if (ev.length < MIN_EVENT_PHOTOS) continue;
    const first = ev[0]!;
    const last = ev[ev.length - 1]!;
    out.push({
      summary: {
        id: `event:${first.hash.slice(0, 16)}`,
        name: eventName(first.date, last.date),
        kind: 'event',
        count: ev.length,
        coverId: eventCover(s, ev).id,
      },
      members: ev.map((entry) => ({ entry, score: null })),
    });
  }
  return out.reverse();
}

/** A place becomes an album once this many photos were taken there. */
export const MIN_PLACE_PHOTOS = 3;

/** One album per town with enough photos ("Paris, France"), biggest first, each newest first. */
export function placeAlbums(s: Snapshot): BuiltAlbum[] {
  const members = new Map<string, ContentEntry[]>();
  for (const entry of s.view.values()) {
    if (entry.place === null || isSensitive(s, entry.hash)) continue;
    members.set(entry.place, [...(members.get(entry.place) ?? []), entry]);
  }
  const out: BuiltAlbum[] = [];
  for (const [place, list] of members) {
    if (list.length < MIN_PLACE_PHOTOS) continue;
    list.sort((a, b) => b.date - a.date || (a.path < b.path ? -1 : 1));
    out.push({
      summary: {
        id: `place:${place}`,
        name: place,
        kind: 'place',
        count: list.length,
        coverId: eventCover(s, list).id,
      },
      members: list.map((entry) => ({ entry, score: null })),
    });
  }
  return out.sort((a, b) => b.summary.count - a.summary.count || (a.summary.name < b.summary.name ? -1 : 1));
}
