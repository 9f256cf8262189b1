import { chunks, sqlIn } from '../store/sql.ts';
import type { AlbumDb, MarkRow, TagRow } from './user/album-db.ts';
import type { AlbumPhoto, PhotoTag, TagDecision } from './album-types.ts';
import type { ContentEntry, LibraryView } from './library-view.ts';
import type { Vocabulary } from './tagging/vocab-state.ts';
import type { NameLookup } from '../search/query-search.ts';

export interface StoredTags {
  tags: Map<string, { score: number; prob: number }>;
  /** Computed under the current vocabulary key (false: left from before a change, until retag). */
  current: boolean;
}

export interface Marks {
  favourites: Set<string>;
  ratings: Map<string, number>;
  /** hash → concept id → +1 accept / -1 reject. */
  decisions: Map<string, Map<string, number>>;
}

/** Everything albums are computed from, read once per call. */
export interface Snapshot {
  view: LibraryView;
  vocab: Vocabulary;
  tags: Map<string, StoredTags>;
  marks: Marks;
}

/** Every mark, or those `where` selects (a few photos' own). */
export async function readMarks(
  db: AlbumDb,
  where?: string,
  into: Marks = { favourites: new Set(), ratings: new Map(), decisions: new Map() },
): Promise<Marks> {
  const marks = into;
  for (const m of await db.rows<MarkRow>('photo_marks', where)) {
    if (m.mark === 'favourite' && m.value > 0) marks.favourites.add(m.hash);
    else if (m.mark === 'rating') marks.ratings.set(m.hash, m.value);
    else if (m.mark === 'tag') {
      const per = marks.decisions.get(m.hash) ?? new Map<string, number>();
      per.set(m.tag, m.value);
      marks.decisions.set(m.hash, per);
    }
  }
  return marks;
}

export function parseTags(row: Pick<TagRow, 'tags' | 'vocab'>, vocab: Vocabulary): StoredTags {
  const tags = new Map<string, { score: number; prob: number }>();
  for (const [id, score, prob] of JSON.parse(row.tags) as [string, number, number][]) {
    // Tags of concepts removed since are dropped; a stale row still shows what it knew.
    if (vocab.byId.has(id)) tags.set(id, { score, prob });
  }
  return { tags, current: row.vocab === vocab.key };
}

export async function readTags(db: AlbumDb, vocab: Vocabulary): Promise<Map<string, StoredTags>> {
  const out = new Map<string, StoredTags>();
  for (const r of await db.rows<TagRow>('tags', undefined, ['hash', 'vocab', 'tags']))
    out.set(r.hash, parseTags(r, vocab));
  return out;
}

const decisionOf = (v: number | undefined): TagDecision | null =>
  v === undefined ? null : v > 0 ? 'accept' : 'reject';

/**
 * The model's tags and the user's decisions for one photo, the user winning: a rejected tag is
 * off whatever the model says, an accepted one is on. Hidden concepts are left out.
 */
export function photoTags(
  vocab: Vocabulary,
  stored: StoredTags | undefined,
  decisions: Map<string, number> | undefined,
  liveScore?: (id: string) => number | null,
): PhotoTag[] {
  const ids = new Set([...(stored?.tags.keys() ?? []), ...(decisions?.keys() ?? [])]);
  const out: PhotoTag[] = [];
  for (const id of ids) {
    const c = vocab.byId.get(id);
    if (!c || c.hidden) continue;
    const auto = stored?.tags.get(id);
    const decision = decisionOf(decisions?.get(id));
    out.push({
      tag: id,
      name: c.name,
      group: c.group,
      score: auto?.score ?? liveScore?.(id) ?? null,
      source: auto ? 'auto' : 'user',
      decision,
      applied: decision === 'accept' || (auto !== undefined && decision !== 'reject'),
      sensitive: c.sensitive,
    });
  }
  return out.sort(
    (a, b) => Number(b.applied) - Number(a.applied) || (b.score ?? -1) - (a.score ?? -1) || (a.name < b.name ? -1 : 1),
  );
}

/** concept id → score (null when only the user's accept puts it there), hidden ones included. */
export function appliedTags(s: Snapshot, hash: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const decisions = s.marks.decisions.get(hash);
  for (const [id, t] of s.tags.get(hash)?.tags ?? [])
    if (decisions?.get(id) === undefined || decisions.get(id)! > 0) out.set(id, t.score);
  for (const [id, v] of decisions ?? []) if (v > 0 && s.vocab.byId.has(id) && !out.has(id)) out.set(id, null);
  return out;
}

export function isSensitive(s: Snapshot, hash: string): boolean {
  for (const id of appliedTags(s, hash).keys()) if (s.vocab.byId.get(id)?.sensitive) return true;
  return false;
}

export function albumPhoto(s: Snapshot, e: ContentEntry, score: number | null): AlbumPhoto {
  return {
    id: e.id,
    hash: e.hash,
    path: e.path,
    paths: e.paths,
    date: e.date,
    width: e.width,
    height: e.height,
    format: e.format,
    kind: e.kind,
    durationMs: e.durationMs,
    score,
    sensitive: isSensitive(s, e.hash),
    favourite: s.marks.favourites.has(e.hash),
    rating: s.marks.ratings.get(e.hash) ?? null,
  };
}

/**
 * The tags and marks of a few photos only (no library view): cheap enough for every click and
 * every page of a grid, where a whole snapshot would read the library.
 */
export async function snapshotOf(db: AlbumDb, vocab: Vocabulary, hashes: readonly string[]): Promise<Snapshot> {
  const s: Snapshot = {
    view: new Map(),
    vocab,
    tags: new Map(),
    marks: { favourites: new Set(), ratings: new Map(), decisions: new Map() },
  };
  for (const part of chunks([...new Set(hashes)], 500)) {
    const [tags] = await Promise.all([
      db.rows<TagRow>('tags', sqlIn('hash', part), ['hash', 'vocab', 'tags']),
      readMarks(db, sqlIn('hash', part), s.marks),
    ]);
    for (const t of tags) s.tags.set(t.hash, parseTags(t, vocab));
  }
  return s;
}

/**
 * Tags by name for the search box ("#beach"): the vocabulary's visible concepts, and the photos
 * each is applied to (the model's tags with the user's decisions winning), read when asked.
 */
export function tagLookup(db: AlbumDb, vocab: Vocabulary): NameLookup {
  const visible = vocab.concepts.filter((c) => !c.hidden);
  return {
    names: visible.map((c) => c.name),
    hashes: async (name) => {
      const concept = visible.find((c) => c.name === name);
      if (!concept) return [];
      // Tags and decisions only: the search filters by these contents, so the library view (every
      // photo's row) is not needed, and a content no longer in the library matches nothing.
      const [tags, marks] = await Promise.all([readTags(db, vocab), readMarks(db)]);
      const s: Snapshot = { view: new Map(), vocab, tags, marks };
      const hashes = new Set([...tags.keys(), ...marks.decisions.keys()]);
      return [...hashes].filter((h) => appliedTags(s, h).has(concept.id));
    },
  };
}
