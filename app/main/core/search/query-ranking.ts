// Ranking a query's vector: the photos and the videos' moments in one list, the whole library's
// ranking that places the relevance cut, and what an exclusion matches. Where the store holds
// its rows in memory, a filtered query's ranking is drawn from the library's (rankings).
import type { FrameHit } from '../store/frame-table.ts';
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
 * The best POOL items for `vector` under `where`, by score alone; a video scores as its best
 * frame (see withMoments, which does the same for hits read whole).
 */
async function rank(
  store: PhotoStore,
  vector: Float32Array,
  where: string,
  /** The frames' ranking, when another ranking of the same vector reads it too. */
  framesOf: Promise<FrameHit[]> = store.frames.search(vector, POOL),
): Promise<Ranked[]> {
  // Which of the frames' videos pass the filters is asked while the photos are ranked, not after
  // (from memory where the rows are held; a LanceDB query took 4-5 ms at 100,000 photos).
  const framesIn = framesOf.then((frames) =>
    frames.length === 0
      ? []
      : store.idsOfHashes(
          frames.map((f) => f.hash),
          where,
        ),
  );
  const [hits, frames, videos] = await Promise.all([store.scores(vector, POOL, where), framesOf, framesIn]);
  if (frames.length === 0) return hits.map((h) => ({ ...h, atMs: null }));
  const best = new Map(frames.map((f) => [f.hash, f]));
  const have = new Set(hits.map((h) => h.hash));
  // With a full pool, a video whose best frame scores below its last photo cannot enter it.
  const floor = hits.length === POOL ? hits[POOL - 1]!.score : -Infinity;
  const missing = new Set(frames.filter((f) => !have.has(f.hash) && f.score > floor).map((f) => f.hash));
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
  // Frames are ranked unfiltered (their videos are checked against the filters after), so one
  // frame search serves both rankings.
  const frames = store.frames.search(vector, POOL);
  if (where === '' || all) return { inFilters: await rank(store, vector, where, frames), library: null, pool: null };
  if (store.filtersHeld(where)) {
    const [library, count] = await Promise.all([rank(store, vector, '', frames), store.count(where)]);
    return { inFilters: await store.passing(library, where), library, pool: Math.min(count, POOL) };
  }
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
    const ranked = await rank(store, await embed([term]), '');
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
