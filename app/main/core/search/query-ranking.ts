// Ranking a query's vector: the photos and the videos' moments in one list, the whole library's
// ranking that places the relevance cut, and what an exclusion matches. Where the store holds
// its rows in memory, a filtered query's ranking is drawn from the library's (rankings).
import type { FrameHit, FrameReading } from '../store/frame-table.ts';
import type { PhotoStore, RowRef, ScoredId } from '../store/photo-store.ts';
import { relevantCount } from './relevance.ts';
import { byBestMoment } from './search.ts';

/**
 * How many results are ranked before the cut: enough for it to see the shape of the scores, few
 * enough that ranking them stays cheap (at 100,000 photos a pool of 200 takes 7 ms, 500 takes 14).
 */
export const POOL = 200;

export interface Ranked extends ScoredId {
  atMs: number | null;
}

/**
 * A vector's frames for rankings of POOL, read in two steps. Few frames reach a pool: at 100,000
 * photos and 20,000 frames its last photo is beaten by 30 to 50 frames, and reading 200 took half
 * the frames' search. So first about twice the frames' share of the pool is read, and the full 200
 * only where the weakest frame read still beats a ranking's last item (a library of mostly
 * videos, or a query that videos match best): no frame left unread could enter the pool. The ANN
 * index finds a little less from fewer candidates: over 60 queries at 100,000 photos the pool's
 * first 90 places were the same, and of the videos entering it 7% were missed, all below place 92.
 */
export class FrameReader {
  readonly first: Promise<FrameReading>;
  readonly #store: PhotoStore;
  readonly #vector: Float32Array;
  #all: Promise<FrameHit[]> | null = null;

  /** `narrow` false: the full search at once, for rankings whose last item is likely low (filters). */
  constructor(store: PhotoStore, vector: Float32Array, narrow = true) {
    this.#store = store;
    this.#vector = vector;
    // The frames' count comes with their search: only the photos' is asked for here.
    this.first = narrow
      ? store
          .count()
          .then((photos) =>
            store.frames.nearest(vector, POOL, (frames) =>
              Math.max(MIN_FIRST_FRAMES, Math.ceil((2 * POOL * frames) / Math.max(1, photos))),
            ),
          )
      : store.frames.nearest(vector, POOL);
  }

  /** The frames a ranking whose last item scores `floor` needs: the first read, or all. */
  async above(floor: number): Promise<{ hits: FrameHit[]; again: boolean }> {
    const first = await this.first;
    if (first.complete || first.bound <= floor) return { hits: first.hits, again: false };
    this.#all ??= this.#store.frames.search(this.#vector, POOL);
    return { hits: await this.#all, again: true };
  }
}

/** The fewest frames a first read takes: fewer cost about as much (a search's own overhead). */
const MIN_FIRST_FRAMES = 32;

/**
 * The best POOL items for `vector` under `where`, by score alone; a video scores as its best
 * frame (see withMoments, which does the same for hits read whole).
 */
async function rank(
  store: PhotoStore,
  vector: Float32Array,
  where: string,
  /** The frames, when another ranking of the same vector reads them too. */
  frames = new FrameReader(store, vector),
  /** Only the places within the relevance cut must be right (PhotoStore.scores). */
  topOnly = false,
): Promise<Ranked[]> {
  const videosOf = (found: readonly FrameHit[]): Promise<RowRef[]> =>
    found.length === 0
      ? Promise.resolve([])
      : store.idsOfHashes(
          found.map((f) => f.hash),
          where,
        );
  // Which of the frames' videos pass the filters is asked while the photos are ranked, not after
  // (from memory where the rows are held; a LanceDB query took 4-5 ms at 100,000 photos).
  const firstIn = frames.first.then((f) => videosOf(f.hits));
  const [hits, firstVideos] = await Promise.all([store.scores(vector, POOL, where, topOnly), firstIn]);
  // With a full pool, a video whose best frame scores below its last photo cannot enter it.
  const floor = hits.length === POOL ? hits[POOL - 1]!.score : -Infinity;
  const { hits: found, again } = await frames.above(floor);
  if (found.length === 0) return hits.map((h) => ({ ...h, atMs: null }));
  const videos = again ? await videosOf(found) : firstVideos;
  const best = new Map(found.map((f) => [f.hash, f]));
  const have = new Set(hits.map((h) => h.hash));
  const missing = new Set(found.filter((f) => !have.has(f.hash) && f.score > floor).map((f) => f.hash));
  const extra = videos.filter((v) => missing.has(v.hash));
  return byBestMoment([...hits, ...extra.map((e) => ({ ...e, score: -1 }))], (h) => h.hash, best, POOL);
}

/**
 * The ranking under the query's filters and, with filters (unless the whole ranking is asked
 * for), the whole library's, which places the cut. Where the rows are held in memory the first
 * is drawn from the second: whatever matches under the filters scores at least as high as the
 * library's last match, so it is among the library's best, and only how many match loosely
 * needs the filters' count (`pool`). One vector search where there were two: at 100,000 photos
 * each took 5-6 ms of a 2-core machine's CPU, and a filtered query missed its time with videos.
 */
export async function rankings(
  store: PhotoStore,
  vector: Float32Array,
  where: string,
  all: boolean,
): Promise<{ inFilters: Ranked[]; library: Ranked[] | null; pool: number | null }> {
  if (where === '') return { inFilters: await rank(store, vector, ''), library: null, pool: null };
  // Under filters few photos may pass, so the ranking's last item is low and all frames are read.
  if (all)
    return {
      inFilters: await rank(store, vector, where, new FrameReader(store, vector, false)),
      library: null,
      pool: null,
    };
  if (store.filtersHeld(where)) {
    const [library, count] = await Promise.all([rank(store, vector, ''), store.count(where)]);
    return { inFilters: await store.passing(library, where), library, pool: Math.min(count, POOL) };
  }
  // Frames are ranked unfiltered (their videos are checked against the filters after), so one
  // frame search serves both rankings.
  const frames = new FrameReader(store, vector, false);
  const [inFilters, library] = await Promise.all([rank(store, vector, where, frames), rank(store, vector, '', frames)]);
  return { inFilters, library, pool: null };
}

/**
 * Items found by their text or names that the picture's ranking drawn from the library's does not
 * hold, with their picture's score from memory: ranked under the filters they would mostly have
 * had it, and a receipt found by its words should not show as a 0% match.
 */
export async function scoredBesides(
  store: PhotoStore,
  vector: Float32Array,
  rows: readonly RowRef[],
  ranked: readonly Ranked[],
): Promise<Ranked[]> {
  const have = new Set(ranked.map((r) => r.id));
  const others = [...new Map(rows.filter((r) => !have.has(r.id)).map((r) => [r.id, r])).values()];
  if (others.length === 0) return [];
  const scores = await store.heldScores(vector, others);
  return others.flatMap((r) => {
    const score = scores.get(r.rowId);
    return score === undefined ? [] : [{ ...r, score, atMs: null }];
  });
}

/**
 * The content an exclusion matches: what a search for it alone would show, in the whole library
 * (within the query's filters, the best of a few unrelated photos would always "match").
 */
export async function excludedHashes(
  store: PhotoStore,
  embed: (texts: string[]) => Promise<Float32Array>,
  terms: readonly string[],
  minGap: number,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const term of terms) {
    const vector = await embed([term]);
    // Only what an exclusion matches is used, never the rest of its pool.
    const ranked = await rank(store, vector, '', new FrameReader(store, vector), true);
    for (const r of ranked.slice(
      0,
      relevantCount(
        ranked.map((h) => h.score),
        minGap,
      ),
    ))
      out.add(r.hash);
  }
  return out;
}

/**
 * How many of the ranked results match the words. Whether a photo matches "blue" does not depend
 * on the filters, so with filters the cut is the score where the whole library's matches end:
 * a date or place that holds no blue photo shows none, rather than its least unlike one.
 */
export function matchingCount(ranked: readonly Ranked[], library: readonly Ranked[] | null, minGap: number): number {
  if (library === null)
    return relevantCount(
      ranked.map((r) => r.score),
      minGap,
    );
  const n = relevantCount(
    library.map((r) => r.score),
    minGap,
  );
  const threshold = library[n - 1]?.score ?? Infinity;
  return ranked.filter((r) => r.score >= threshold).length;
}
