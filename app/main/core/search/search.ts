import { sep } from 'node:path';
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import { thumbPath } from '../index/thumbs.ts';
import type { PhotoMeta, PhotoRow } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { sqlIn, sqlString } from '../store/sql.ts';

export interface SearchFilters {
  /** Only photos under this root or any folder inside a root. */
  folder?: string;
  /** Epoch ms, inclusive: photos taken (or, lacking EXIF, modified) at or after. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** File types by content: jpg, png, heic, raw... (jpeg/jpg, tif/tiff, heif/heic are one type). */
  types?: string[];
}

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
  thumbPath: string;
}

const RAW_FORMATS = ['dng', 'cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2', 'pef', 'raw'];

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
  raw: RAW_FORMATS,
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
  return parts.join(' AND ');
}

function toHit(meta: PhotoMeta, score: number | null, thumbsDir: string): SearchHit {
  return {
    id: meta.id,
    path: meta.path,
    score,
    width: meta.width,
    height: meta.height,
    takenAt: meta.taken_at,
    date: meta.date_ms,
    format: meta.format,
    thumbPath: thumbPath(thumbsDir, meta.hash),
  };
}

function checkLimit(limit: number | undefined): number {
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
  const hits = await store.search(vector, limit, filterSql(opts.filters));
  return hits.map((h) => toHit(h.meta, h.score, thumbsDir));
}

/** "More like this": the photo's own stored embedding as the query, the photo itself left out. */
export async function searchSimilar(
  store: PhotoStore,
  thumbsDir: string,
  photo: PhotoRow,
  opts: SearchOptions = {},
): Promise<SearchHit[]> {
  const limit = checkLimit(opts.limit);
  const where = [filterSql(opts.filters), `path != ${sqlString(photo.path)}`].filter((x) => x !== '').join(' AND ');
  const hits = await store.search(photo.vector, limit, where);
  return hits.map((h) => toHit(h.meta, h.score, thumbsDir));
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
