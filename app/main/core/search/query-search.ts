// One query pipeline for every front end: parse the box's text into filters and the words left,
// rank by the model, drop what an exclusion matches, and show what matches rather than the whole
// library (relevance.ts), with how many more match loosely.
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import type { PhotoMeta } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { sqlIn, sqlString } from '../store/sql.ts';
import { parseQuery } from './query/parse-query.ts';
import type { ParsedQuery } from './query/parse-query.ts';
import { relevantCount } from './relevance.ts';
import { and } from '../store/sql.ts';
import { RAW_FORMATS, checkLimit, filterSql, toHit, withMoments } from './search.ts';
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

/** How many results are ranked before the cut: enough for it to see the shape of the scores. */
const POOL = 500;

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

interface Ranked {
  meta: PhotoMeta;
  score: number;
  atMs: number | null;
}

async function rank(store: PhotoStore, vector: Float32Array, where: string): Promise<Ranked[]> {
  return withMoments(store, vector, await store.search(vector, POOL, where), POOL, where);
}

/**
 * The content an exclusion matches: what a search for it alone would show, in the whole library
 * (within the query's filters, the best of a few unrelated photos would always "match").
 */
async function excludedHashes(store: PhotoStore, embedder: Embedder, terms: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const term of terms) {
    const ranked = await rank(store, await embedder.embedTexts([term]), '');
    for (const r of ranked.slice(0, relevantCount(ranked.map((h) => h.score)))) out.add(r.meta.hash);
  }
  return out;
}

/**
 * How many of the ranked results match the words. Whether a photo matches "blue" does not depend
 * on the filters, so with filters the cut is the score where the whole library's matches end:
 * a date or place that holds no blue photo shows none, rather than its least unlike one.
 */
async function matchingCount(
  store: PhotoStore,
  vector: Float32Array,
  ranked: Ranked[],
  where: string,
): Promise<number> {
  if (where === '') return relevantCount(ranked.map((r) => r.score));
  const library = await rank(store, vector, '');
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
  const excluded = await excludedHashes(store, embedder, parsed.exclude);
  if (parsed.text === '') {
    // Nothing left to rank by: what the filters select, newest first.
    const rows = (await store.rows(where)).filter((r) => !excluded.has(r.hash));
    rows.sort((a, b) => b.date_ms - a.date_ms || (a.path < b.path ? -1 : 1));
    const hits = rows.slice(0, limit).map((m) => toHit(m, null, thumbsDir));
    return { hits, more: 0, parsed };
  }
  const vector = await embedder.embedTexts([parsed.text]);
  const ranked = (await rank(store, vector, where)).filter((r) => !excluded.has(r.meta.hash));
  const matching = opts.all === true ? ranked.length : await matchingCount(store, vector, ranked, where);
  const hits = ranked.slice(0, Math.min(matching, limit)).map((r) => toHit(r.meta, r.score, thumbsDir, r.atMs));
  return { hits, more: ranked.length - Math.min(matching, ranked.length), parsed };
}
