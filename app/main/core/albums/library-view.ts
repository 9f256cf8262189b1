import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ShoeboxError } from '../errors.ts';
import { itemKind } from '../store/photo-schema.ts';
import type { ItemKind, PhotoMeta, PhotoRow } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { sqlString } from '../store/sql.ts';

/** One piece of content in the library, wherever and however many times it is stored. */
export interface ContentEntry {
  hash: string;
  /** The photo id and path albums show for it: the first of its paths in sort order. */
  id: string;
  path: string;
  /** Every place it is stored, sorted (several for copies). */
  paths: string[];
  copies: { id: string; path: string; mtime: number; date: number }[];
  width: number;
  height: number;
  /** What decoding found: jpeg, heic, a RAW's maker format, a video's container. */
  format: string;
  kind: ItemKind;
  durationMs: number | null;
  size: number;
  date: number;
  mtime: number;
  lat: number | null;
  lon: number | null;
  /** "Paris, France": where it was taken, named offline; null without GPS. */
  place: string | null;
}

export type LibraryView = Map<string, ContentEntry>;

/** The photos that are there now, by content hash: albums keep hashes and show these. */
/** What an album shows of a photo (entryOf). */
const VIEW_COLUMNS = [
  'id',
  'hash',
  'path',
  'mtime',
  'date_ms',
  'width',
  'height',
  'format',
  'kind',
  'duration_ms',
  'size',
  'gps_lat',
  'gps_lon',
  'place',
  'country',
] as const;
type ViewRow = Pick<PhotoMeta, (typeof VIEW_COLUMNS)[number]>;

export async function libraryView(store: PhotoStore): Promise<LibraryView> {
  const rows = await store.columns(VIEW_COLUMNS);
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const view: LibraryView = new Map();
  for (const r of rows) {
    const seen = view.get(r.hash);
    if (seen) {
      seen.paths.push(r.path);
      seen.copies.push({ id: r.id, path: r.path, mtime: r.mtime, date: r.date_ms });
      // Copies without a capture date differ in mtime: the content is as old as its oldest copy.
      seen.date = Math.min(seen.date, r.date_ms);
      seen.mtime = Math.min(seen.mtime, r.mtime);
      continue;
    }
    view.set(r.hash, entryOf(r));
  }
  return view;
}

function entryOf(r: ViewRow): ContentEntry {
  return {
    hash: r.hash,
    id: r.id,
    path: r.path,
    paths: [r.path],
    copies: [{ id: r.id, path: r.path, mtime: r.mtime, date: r.date_ms }],
    width: r.width,
    height: r.height,
    format: r.format,
    kind: itemKind(r.kind, r.format),
    durationMs: r.duration_ms,
    size: r.size,
    date: r.date_ms,
    mtime: r.mtime,
    lat: r.gps_lat,
    lon: r.gps_lon,
    place: r.place !== null && r.country !== null ? `${r.place}, ${r.country}` : null,
  };
}

const PHOTO_ID = /^[0-9a-f]{24}$/;
const CONTENT_HASH = /^[0-9a-f]{64}$/;

/** A photo named by id, content hash or path (as given, resolved, or with symlinks resolved). */
export async function findPhoto(store: PhotoStore, ref: string): Promise<PhotoRow> {
  const r = ref.trim();
  if (r === '') throw new ShoeboxError('BAD_REQUEST', 'name a photo by its path or id');
  let row: PhotoRow | null = null;
  if (PHOTO_ID.test(r)) row = await store.byId(r);
  if (!row && CONTENT_HASH.test(r)) {
    const [meta] = await store.rows(`hash = ${sqlString(r)}`, 1);
    if (meta) row = await store.byId(meta.id);
  }
  row ??= await store.byPath(r);
  if (!row) {
    const abs = resolve(r);
    row = (await store.byPath(abs)) ?? (await store.byPath(await realpath(abs).catch(() => abs)));
  }
  if (!row)
    throw new ShoeboxError('NOT_FOUND', `${ref} is not a photo in the library (add its folder and run index first)`);
  return row;
}

/**
 * The content hashes of photos named by id, hash or path, in the order given. Ids (what the app
 * sends, up to 1,000 at a time) are looked up together in one query without their vectors; other
 * names one by one, as findPhoto does.
 */
export async function findHashes(store: PhotoStore, refs: readonly string[]): Promise<string[]> {
  if (refs.length === 0) throw new ShoeboxError('BAD_REQUEST', 'name at least one photo');
  const trimmed = refs.map((r) => r.trim());
  const ids = [...new Set(trimmed.filter((r) => PHOTO_ID.test(r)))];
  const hashOf = new Map((ids.length > 0 ? await store.byIds(ids) : []).map((m) => [m.id, m.hash]));
  const out: string[] = [];
  for (const [i, ref] of trimmed.entries()) out.push(hashOf.get(ref) ?? (await findPhoto(store, refs[i]!)).hash);
  return out;
}
