import type { PhotoStore } from '../../store/photo-store.ts';
import type { AlbumDb, DhashRow } from '../user/album-db.ts';
import type { AlbumDetails, AlbumPhoto, AlbumSummary, DuplicateGroup, DuplicatePhoto } from '../album-types.ts';
import { keepOrder, nearDuplicateGroups, parseDhash, dhashPairs } from './duplicates.ts';
import type { DhashColumns } from './duplicates.ts';
import type { ContentEntry } from '../library-view.ts';
import { albumPhoto, isSensitive } from '../snapshot.ts';
import type { Snapshot } from '../snapshot.ts';
import { dot } from '../../vectors.ts';
import { videoDuplicatePairs } from './video-duplicates.ts';

function columns(entries: readonly ContentEntry[], dhashes: Map<string, string>): DhashColumns {
  const n = entries.length;
  const d: DhashColumns = { hi: new Uint32Array(n), lo: new Uint32Array(n), known: new Uint8Array(n) };
  entries.forEach((e, i) => {
    const parsed = parseDhash(dhashes.get(e.hash) ?? '');
    if (!parsed) return;
    d.hi[i] = parsed[0];
    d.lo[i] = parsed[1];
    d.known[i] = 1;
  });
  return d;
}

/** Vectors of the photos named in candidate pairs only: usually a handful, never the library. */
async function pairCosine(
  store: PhotoStore,
  entries: readonly ContentEntry[],
  pairs: Int32Array,
): Promise<(i: number, j: number) => number | null> {
  const involved = [...new Set(pairs)].map((i) => entries[i]!.hash);
  const rows = await store.byHash(involved);
  return (i, j) => {
    const a = rows.get(entries[i]!.hash)?.vector;
    const b = rows.get(entries[j]!.hash)?.vector;
    if (!a || !b) return null;
    return dot(a, 0, b, 0, a.length);
  };
}

function groupOf(s: Snapshot, members: readonly ContentEntry[]): DuplicateGroup {
  const photos: { photo: DuplicatePhoto; mtime: number }[] = [];
  for (const e of members) {
    const sensitive = isSensitive(s, e.hash);
    for (const c of e.copies)
      photos.push({
        photo: {
          id: c.id,
          hash: e.hash,
          path: c.path,
          width: e.width,
          height: e.height,
          size: e.size,
          date: c.date,
          sensitive,
        },
        mtime: c.mtime,
      });
  }
  photos.sort((a, b) => keepOrder({ ...a.photo, mtime: a.mtime }, { ...b.photo, mtime: b.mtime }));
  const clean = photos.map((p) => p.photo);
  const first = [...members].map((m) => m.hash).sort()[0]!;
  return {
    id: `dup:${first.slice(0, 16)}`,
    kind: members.length > 1 ? 'near' : 'exact',
    photos: clean,
    suggestion: clean[0]!,
  };
}

/**
 * Video pairs by content hash, for the last set of videos seen per store. A content hash's frames
 * never change under one model, so the answer holds until a video comes or goes; the albums list
 * asks on every visit, and hashing every frame again each time would cost seconds in a large library.
 */
const footageCache = new WeakMap<PhotoStore, { key: string; pairs: [string, string][] }>();

/** Pairs of videos (entry indices) whose frames show the same footage: a re-encoded or trimmed copy. */
async function videoPairs(store: PhotoStore, entries: readonly ContentEntry[]): Promise<Int32Array> {
  const videos = entries.flatMap((e, i) => (e.kind === 'video' ? [i] : []));
  if (videos.length < 2) return new Int32Array(0);
  const hashes = videos.map((i) => entries[i]!.hash);
  const key = [...hashes].sort().join();
  let cached = footageCache.get(store);
  if (cached?.key !== key) {
    const frames = await store.frames.vectorsOf(hashes);
    const local = videoDuplicatePairs(
      hashes.map((h) => ({ vectors: frames.get(h) ?? [] })),
      store.dim,
    );
    const pairs: [string, string][] = [];
    for (let p = 0; p < local.length; p += 2) pairs.push([hashes[local[p]!]!, hashes[local[p + 1]!]!]);
    cached = { key, pairs };
    footageCache.set(store, cached);
  }
  const index = new Map(videos.map((i) => [entries[i]!.hash, i]));
  return Int32Array.from(cached.pairs.flatMap(([a, b]) => [index.get(a)!, index.get(b)!]));
}

/**
 * Exact duplicates (one content at several paths) and near duplicates (see duplicates.ts, and
 * video-duplicates.ts for videos by their frames), merged into groups for review with the copy to
 * keep first. Nothing here deletes anything.
 */
export async function duplicateGroups(store: PhotoStore, db: AlbumDb, s: Snapshot): Promise<DuplicateGroup[]> {
  const entries = [...s.view.values()];
  const dhashes = new Map((await db.rows<DhashRow>('photo_dhash')).map((r) => [r.hash, r.dhash]));
  const cols = columns(entries, dhashes);
  const pairs = dhashPairs(cols, entries.length);
  const cosine = await pairCosine(store, entries, pairs);
  const sameFootage = await videoPairs(store, entries);
  const groups: DuplicateGroup[] = [];
  const grouped = new Set<number>();
  for (const g of nearDuplicateGroups(cols, entries.length, cosine, pairs, sameFootage)) {
    for (const i of g) grouped.add(i);
    groups.push(
      groupOf(
        s,
        g.map((i) => entries[i]!),
      ),
    );
  }
  entries.forEach((e, i) => {
    if (!grouped.has(i) && e.copies.length > 1) groups.push(groupOf(s, [e]));
  });
  return groups.sort((a, b) => b.photos.length - a.photos.length || (a.id < b.id ? -1 : 1));
}

/** The automatic album of every duplicate group's photos, group after group. */
export const DUPLICATES_ID = 'duplicates';

/** The duplicates album as the album list shows it. */
export function duplicatesSummary(groups: readonly DuplicateGroup[]): AlbumSummary {
  return {
    id: DUPLICATES_ID,
    name: 'Duplicates',
    kind: 'duplicates',
    count: groups.reduce((n, g) => n + g.photos.length, 0),
    coverId: groups[0]?.suggestion.id ?? null,
  };
}

/** The duplicates album opened: every photo of every group, each as the copy the group names. */
export function duplicatesAlbum(s: Snapshot, groups: readonly DuplicateGroup[]): AlbumDetails {
  const photos = groups.flatMap((g) =>
    g.photos.map((p): AlbumPhoto => ({ ...albumPhoto(s, s.view.get(p.hash)!, null), id: p.id, path: p.path })),
  );
  return { ...duplicatesSummary(groups), photos };
}
