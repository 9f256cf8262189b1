// One query pipeline for every front end: parse the box's text into filters and the words left,
// rank by the model, drop what an exclusion matches, and show what matches rather than the whole
// library (relevance.ts), with how many more match loosely.
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import type { PhotoStore, ScoredId } from '../store/photo-store.ts';
import { and, sqlIn, sqlString } from '../store/sql.ts';
import { parseQuery } from './query/parse-query.ts';
import type { ParsedQuery } from './query/parse-query.ts';
import { relevantCount } from './relevance.ts';
import { RAW_FORMATS, checkLimit, filterSql, toHit } from './search.ts';
import type { SearchFilters, SearchHit } from './search.ts';

export interface QueryOptions {
  limit?: number;
  filters?: SearchFilters;
  /** The whole ranking, not only what matches (`search --all`, "show more"). */
  all?: boolean;
  /** For dates without a year; default now. */
  now?: Date;
}

export interface QueryResult {
  hits: SearchHit[];
  /** Results past the cut that still rank (shown by "show N more", or with `all`). */
  more: number;
  parsed: ParsedQuery;
}

/**
 * How many results are ranked before the cut: enough for it to see the shape of the scores, few
 * enough that ranking them stays cheap (at 100,000 photos a pool of 200 takes 7 ms, 500 takes 14).
 */
const POOL = 200;

/** A LIKE pattern for `text` anywhere in a lower-cased column: its own % and _ match themselves. */
const contains = (column: string, text: string): string =>
  `lower(${column}) LIKE ${sqlString(`%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`;

/** The filters a parsed query adds, as SQL ('' for none). */
export function parsedFilterSql(p: ParsedQuery): string {
  const parts: string[] = [];
  if (p.dates !== null) {
    parts.push(
      p.dates.length === 0
        ? 'false'
        : `(${p.dates.map((d) => `(date_ms >= ${d.from} AND date_ms < ${d.to})`).join(' OR ')})`,
    );
  }
  const kinds = p.kinds.map((k) => {
    if (k === 'video' || k === 'live') return `kind = '${k}'`;
    if (k === 'raw') return sqlIn('format', RAW_FORMATS);
    return `(${contains('path', 'screenshot')} OR ${contains('path', 'screen shot')})`;
  });
  if (kinds.length > 0) parts.push(`(${kinds.join(' OR ')})`);
  for (const phrase of p.phrases) parts.push(contains('path', phrase));
  if (p.places.length > 0) parts.push(`(${sqlIn('place', p.places)} OR ${sqlIn('country', p.places)})`);
  return and(...parts);
}

interface Ranked extends ScoredId {
  atMs: number | null;
}

/**
 * The best POOL items for `vector` under `where`, by score alone; a video scores as its best
 * frame (see withMoments, which does the same for hits read whole).
 */
async function rank(store: PhotoStore, vector: Float32Array, where: string): Promise<Ranked[]> {
  const hits = await store.scores(vector, POOL, where);
  const frames = await store.frames.search(vector, POOL);
  if (frames.length === 0) return hits.map((h) => ({ ...h, atMs: null }));
  const best = new Map(frames.map((f) => [f.hash, f]));
  const have = new Set(hits.map((h) => h.hash));
  const missing = frames.filter((f) => !have.has(f.hash)).map((f) => f.hash);
  const extra = missing.length > 0 ? await store.idsOfHashes(missing, where) : [];
  const merged = [...hits, ...extra.map((e) => ({ ...e, score: -1 }))].map((h) => {
    const frame = best.get(h.hash);
    return frame && frame.score >= h.score ? { ...h, score: frame.score, atMs: frame.atMs } : { ...h, atMs: null };
  });
  return merged.sort((a, b) => b.score - a.score).slice(0, POOL);
}

/** The shown hits read whole, in ranking order. */
async function hitsOf(store: PhotoStore, ranked: readonly Ranked[], thumbsDir: string): Promise<SearchHit[]> {
  const metas = new Map((await store.byIds(ranked.map((r) => r.id))).map((m) => [m.id, m]));
  return ranked.flatMap((r) => {
    const meta = metas.get(r.id);
    return meta ? [toHit(meta, r.score, thumbsDir, r.atMs)] : [];
  });
}

/**
 * The content an exclusion matches: what a search for it alone would show, in the whole library
 * (within the query's filters, the best of a few unrelated photos would always "match").
 */
async function excludedHashes(store: PhotoStore, embedder: Embedder, terms: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const term of terms) {
    const ranked = await rank(store, await embedder.embedTexts([term]), '');
    for (const r of ranked.slice(0, relevantCount(ranked.map((h) => h.score)))) out.add(r.hash);
  }
  return out;
}

/**
 * How many of the ranked results match the words. Whether a photo matches "blue" does not depend
 * on the filters, so with filters the cut is the score where the whole library's matches end:
 * a date or place that holds no blue photo shows none, rather than its least unlike one.
 */
function matchingCount(ranked: readonly Ranked[], library: readonly Ranked[] | null): number {
  if (library === null) return relevantCount(ranked.map((r) => r.score));
  const n = relevantCount(library.map((r) => r.score));
  const threshold = library[n - 1]?.score ?? Infinity;
  return ranked.filter((r) => r.score >= threshold).length;
}

export async function searchQuery(
  store: PhotoStore,
  embedder: Embedder,
  thumbsDir: string,
  query: string,
  opts: QueryOptions = {},
): Promise<QueryResult> {
  if (query.trim() === '') throw new ShoeboxError('BAD_REQUEST', 'type something to search for');
  const limit = checkLimit(opts.limit);
  const parsed = parseQuery(query, { now: opts.now, places: await store.knownPlaces() });
  const where = and(filterSql(opts.filters), parsedFilterSql(parsed));
  if (parsed.text === '') {
    // Nothing left to rank by: what the filters select, newest first.
    const excluded = await excludedHashes(store, embedder, parsed.exclude);
    const out = excluded.size > 0 ? new Set((await store.idsOfHashes([...excluded], where)).map((r) => r.id)) : null;
    const ids = (await store.byDate(where)).ids.filter((id) => !out?.has(id)).slice(0, limit);
    const metas = new Map((await store.byIds(ids)).map((m) => [m.id, m]));
    const hits = ids.flatMap((id) => {
      const meta = metas.get(id);
      return meta ? [toHit(meta, null, thumbsDir)] : [];
    });
    return { hits, more: 0, parsed };
  }
  // The exclusions are ranked while the words are; with filters the cut comes from the whole
  // library's ranking, read at the same time.
  const [excluded, [inFilters, library]] = await Promise.all([
    excludedHashes(store, embedder, parsed.exclude),
    (async () => {
      const vector = await embedder.embedTexts([parsed.text]);
      return Promise.all([
        rank(store, vector, where),
        where === '' || opts.all === true ? null : rank(store, vector, ''),
      ]);
    })(),
  ]);
  const ranked = inFilters.filter((r) => !excluded.has(r.hash));
  const matching = opts.all === true ? ranked.length : matchingCount(ranked, library);
  const hits = await hitsOf(store, ranked.slice(0, Math.min(matching, limit)), thumbsDir);
  return { hits, more: ranked.length - Math.min(matching, ranked.length), parsed };
}
