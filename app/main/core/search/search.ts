import { sep } from 'node:path';
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import { thumbPath } from '../index/thumbs.ts';
import { RAW_FORMATS, itemKind } from '../store/photo-schema.ts';
import type { HitMeta, ItemKind, PhotoRow } from '../store/photo-schema.ts';
import type { FrameHit } from '../store/frame-table.ts';
import type { PhotoStore, VectorHit } from '../store/photo-store.ts';
import { and, sqlIn, sqlString } from '../store/sql.ts';

export interface SearchFilters {
  /** Only photos under this root or any folder inside a root. */
  folder?: string;
  /** Epoch ms, inclusive: photos taken (or, lacking EXIF, modified) at or after. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** File types by content: jpg, png, heic, raw... (jpeg/jpg, tif/tiff, heif/heic are one type). */
  types?: string[];
  /** Only items with a GPS position inside this box (degrees); west > east crosses the antimeridian. */
  area?: GeoBox;
  /** Only these contents (a person's photos); none selects nothing. */
  hashes?: readonly string[];
}

import type { GeoBox, MatchReason } from '../../../shared/types.ts';

export type { GeoBox } from '../../../shared/types.ts';

export interface SearchOptions {
  limit?: number;
  filters?: SearchFilters;
}

export interface SearchHit {
  id: string;
  path: string;
  /** Cosine similarity; null when browsing. */
  score: number | null;
  width: number;
  height: number;
  takenAt: number | null;
  date: number;
  format: string;
  kind: ItemKind;
  /** A video's length in ms; null for a photo. */
  durationMs: number | null;
  /** For a video found by a query: the moment (seconds from its start) that matched best. */
  at: number | null;
  thumbPath: string;
  /** A query's result: why it matched (the picture, text read in it, its file or folder name). */
  matched?: MatchReason[];
}

/** The containers a video is stored under (its `format`), as sniffVideo names them. */
export const VIDEO_FORMATS: readonly string[] = ['mp4', 'mov', 'm4v', '3gp', 'mkv', 'webm', 'avi'];

/**
 * What a type filter asks for, as the formats decoding found (the content, not the name): a
 * HEIC saved as .jpg is a HEIC. A type names a format, a common extension of one, or `raw`.
 */
const FORMATS_OF: Record<string, string[]> = {
  jpg: ['jpeg'],
  jpeg: ['jpeg'],
  tif: ['tiff'],
  tiff: ['tiff'],
  heic: ['heic'],
  heif: ['heic'],
  raw: [...RAW_FORMATS],
  video: [...VIDEO_FORMATS],
};

/**
 * The WHERE clause of the filters, '' for none. Every stored row is a searchable photo (failed
 * files live in their own table), so no filter at all is applied by default: even an always-true
 * prefilter doubles a vector search's time at 100,000 rows.
 */
export function filterSql(f: SearchFilters | undefined, pathSep: string = sep): string {
  const parts: string[] = [];
  if (f?.folder !== undefined) {
    const folder = f.folder.endsWith(pathSep) ? f.folder.slice(0, -1) : f.folder;
    parts.push(`(folder = ${sqlString(folder)} OR starts_with(folder, ${sqlString(folder + pathSep)}))`);
  }
  for (const [name, v] of [
    ['from', f?.from],
    ['to', f?.to],
  ] as const) {
    if (v !== undefined && !Number.isFinite(v))
      throw new ShoeboxError('BAD_REQUEST', `${name} must be a time in milliseconds`);
  }
  if (f?.from !== undefined) parts.push(`date_ms >= ${f.from}`);
  if (f?.to !== undefined) parts.push(`date_ms < ${f.to}`);
  if (f?.types !== undefined && f.types.length > 0) {
    const formats = f.types.flatMap((t) => {
      const type = t.toLowerCase().replace(/^\./, '');
      return FORMATS_OF[type] ?? [type];
    });
    parts.push(sqlIn('format', [...new Set(formats)]));
  }
  if (f?.area !== undefined) parts.push(areaSql(f.area));
  if (f?.hashes !== undefined) parts.push(f.hashes.length > 0 ? sqlIn('hash', f.hashes) : 'false');
  return parts.join(' AND ');
}

function areaSql(a: GeoBox): string {
  const values = [a.south, a.west, a.north, a.east];
  if (!values.every(Number.isFinite) || Math.abs(a.south) > 90 || Math.abs(a.north) > 90 || a.south > a.north)
    throw new ShoeboxError('BAD_REQUEST', 'area must be south <= north within ±90 and finite west and east');
  const lat = `gps_lat >= ${a.south} AND gps_lat <= ${a.north}`;
  const lon =
    a.west <= a.east
      ? `gps_lon >= ${a.west} AND gps_lon <= ${a.east}`
      : `(gps_lon >= ${a.west} OR gps_lon <= ${a.east})`;
  return `(${lat} AND ${lon})`;
}

export function toHit(meta: HitMeta, score: number | null, thumbsDir: string, atMs: number | null = null): SearchHit {
  return {
    id: meta.id,
    path: meta.path,
    score,
    width: meta.width,
    height: meta.height,
    takenAt: meta.taken_at,
    date: meta.date_ms,
    format: meta.format,
    kind: itemKind(meta.kind, meta.format),
    durationMs: meta.duration_ms,
    at: atMs === null ? null : atMs / 1000,
    thumbPath: thumbPath(thumbsDir, meta.hash),
  };
}

export function checkLimit(limit: number | undefined): number {
  const n = limit ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new ShoeboxError('BAD_REQUEST', `limit must be a whole number from 1 to 10000, not ${String(limit)}`);
  return n;
}

/** Photos ranked by cosine similarity to the text's embedding. */
export async function searchText(
  store: PhotoStore,
  embedder: Embedder,
  thumbsDir: string,
  text: string,
  opts: SearchOptions = {},
): Promise<SearchHit[]> {
  const query = text.trim();
  if (query === '') throw new ShoeboxError('BAD_REQUEST', 'type something to search for');
  const limit = checkLimit(opts.limit);
  const vector = await embedder.embedTexts([query]);
  const where = filterSql(opts.filters);
  const hits = await withMoments(store, vector, await store.search(vector, limit, where), limit, where);
  return hits.map((h) => toHit(h.meta, h.score, thumbsDir, h.atMs));
}

/**
 * A video scores as its best frame, and carries that frame's moment. Videos whose best frame
 * beats the photos found are brought in (their own row holds only the poster's vector), under
 * the same filters; the merged ranking is cut to `limit` again.
 */
export async function withMoments(
  store: PhotoStore,
  vector: Float32Array,
  hits: VectorHit[],
  limit: number,
  where: string,
  exceptHash?: string,
): Promise<(VectorHit & { atMs: number | null })[]> {
  const frames = (await store.frames.search(vector, limit)).filter((f) => f.hash !== exceptHash);
  if (frames.length === 0) return hits.map((h) => ({ ...h, atMs: null }));
  const best = new Map(frames.map((f) => [f.hash, f]));
  const have = new Set(hits.map((h) => h.meta.hash));
  const missing = frames.filter((f) => !have.has(f.hash)).map((f) => f.hash);
  const extra = missing.length > 0 ? await store.rows(and(sqlIn('hash', missing), where)) : [];
  return byBestMoment([...hits, ...extra.map((meta) => ({ meta, score: -1 }))], (h) => h.meta.hash, best, limit);
}

/**
 * Items scored as their video's best moment where that beats their own score (and carrying that
 * moment), best first, at most `limit`: a video is ranked by the frame that matches.
 */
export function byBestMoment<T extends { score: number }>(
  items: readonly T[],
  hashOf: (item: T) => string,
  best: ReadonlyMap<string, FrameHit>,
  limit: number,
): (T & { atMs: number | null })[] {
  return items
    .map((h) => {
      const frame = best.get(hashOf(h));
      return frame && frame.score >= h.score ? { ...h, score: frame.score, atMs: frame.atMs } : { ...h, atMs: null };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** "More like this": the photo's own stored embedding as the query, the photo itself left out. */
export async function searchSimilar(
  store: PhotoStore,
  thumbsDir: string,
  photo: PhotoRow,
  opts: SearchOptions = {},
): Promise<SearchHit[]> {
  const limit = checkLimit(opts.limit);
  const where = and(filterSql(opts.filters), `path != ${sqlString(photo.path)}`);
  const found = await store.search(photo.vector, limit, where);
  const hits = await withMoments(store, photo.vector, found, limit, where, photo.hash);
  return hits.map((h) => toHit(h.meta, h.score, thumbsDir, h.atMs));
}

/** Browsing without a query: newest first, a page at a time. */
export async function listByDate(
  store: PhotoStore,
  thumbsDir: string,
  offset: number,
  limit: number,
  filters?: SearchFilters,
): Promise<{ total: number; items: SearchHit[] }> {
  const order = await store.idsByDate(filterSql(filters));
  const ids = order.slice(offset, offset + limit);
  const byId = new Map((await store.byIds(ids)).map((m) => [m.id, m]));
  const items = ids.flatMap((pid) => {
    const m = byId.get(pid);
    return m ? [toHit(m, null, thumbsDir)] : [];
  });
  return { total: order.length, items };
}
