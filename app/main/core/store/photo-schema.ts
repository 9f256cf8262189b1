import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';

/** One indexed photo as stored: metadata plus its embedding under one model. */
export interface PhotoRow {
  id: string;
  path: string;
  root: string;
  folder: string;
  ext: string;
  size: number;
  mtime: number;
  hash: string;
  width: number;
  height: number;
  format: string;
  /** 'photo' or 'video': a video's vector is its poster frame's, and its frames have their own table. */
  kind: string;
  /** A video's length; null for a photo. */
  duration_ms: number | null;
  taken_at: number | null;
  /** EXIF date taken, else the file's mtime: what date filters and events use. */
  date_ms: number;
  camera_make: string | null;
  camera_model: string | null;
  gps_lat: number | null;
  gps_lon: number | null;
  /** The town the GPS position is in (GeoNames, offline); null without GPS or far from any town. */
  place: string | null;
  /** The state, province or other first-level division ("Bavaria"); null where GeoNames names none. */
  region: string | null;
  country: string | null;
  /** 'ok' today; 'offline' arrives with offline roots. */
  status: string;
  model_id: string;
  indexed_at: number;
  vector: Float32Array;
}

export type PhotoMeta = Omit<PhotoRow, 'vector'>;

export interface FailureRow {
  path: string;
  root: string;
  size: number;
  mtime: number;
  reason: string;
  failed_at: number;
}

export const str = (name: string, nullable = false): Field => new Field(name, new Utf8(), nullable);
const f64 = (name: string, nullable = false): Field => new Field(name, new Float64(), nullable);

/**
 * Sizes and times are Float64 rather than Int64: they stay plain JS numbers (no BigInt at every
 * use), and doubles hold file sizes and millisecond times exactly far beyond any real photo.
 */
export function photoSchema(dim: number): Schema {
  return new Schema([
    str('id'),
    str('path'),
    str('root'),
    str('folder'),
    str('ext'),
    f64('size'),
    f64('mtime'),
    str('hash'),
    new Field('width', new Int32(), false),
    new Field('height', new Int32(), false),
    str('format'),
    str('kind'),
    f64('duration_ms', true),
    f64('taken_at', true),
    f64('date_ms'),
    str('camera_make', true),
    str('camera_model', true),
    f64('gps_lat', true),
    f64('gps_lon', true),
    str('place', true),
    str('region', true),
    str('country', true),
    str('status'),
    str('model_id'),
    f64('indexed_at'),
    new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), false),
  ]);
}

export function failureSchema(): Schema {
  return new Schema([str('path'), str('root'), f64('size'), f64('mtime'), str('reason'), f64('failed_at')]);
}

/** What a search result shows of an item: reading 10 columns rather than 25 halves the read. */
export const HIT_COLUMNS = [
  'id',
  'path',
  'hash',
  'width',
  'height',
  'format',
  'kind',
  'duration_ms',
  'taken_at',
  'date_ms',
] as const satisfies readonly (keyof PhotoMeta)[];
export type HitMeta = Pick<PhotoMeta, (typeof HIT_COLUMNS)[number]>;

/** The columns search filters read beyond the hit's (search.ts, query-search.ts). */
export const FILTER_COLUMNS = [
  'folder',
  'camera_make',
  'camera_model',
  'gps_lat',
  'gps_lon',
  'place',
  'region',
  'country',
] as const satisfies readonly (keyof PhotoMeta)[];

export const META_COLUMNS: (keyof PhotoMeta)[] = [
  ...HIT_COLUMNS,
  ...FILTER_COLUMNS,
  'root',
  'ext',
  'size',
  'mtime',
  'status',
  'model_id',
  'indexed_at',
];

/** Only these columns of a row read from LanceDB, null where absent. */
export function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of columns) out[key] = row[key] ?? null;
  return out;
}

export const toMeta = (row: Record<string, unknown>): PhotoMeta => pick(row, META_COLUMNS) as unknown as PhotoMeta;

/** One sampled frame of a video, under one model: where it is in the video and its embedding. */
export interface FrameRow {
  hash: string;
  at_ms: number;
  vector: Float32Array;
}

export function frameSchema(dim: number): Schema {
  return new Schema([
    str('hash'),
    f64('at_ms'),
    new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), false),
  ]);
}

/**
 * A file that belongs to another item rather than being one: a Live Photo's motion (a MOV beside
 * its still) or a RAW beside the JPEG it was shot with. Kept apart from the photos table, so
 * search, albums and counts never see it, yet known, so a scan does not treat it as new.
 */
export interface MemberRow {
  path: string;
  root: string;
  size: number;
  mtime: number;
  /** The path of the item's primary file (the still, the JPEG). */
  primary_path: string;
  role: 'motion' | 'raw';
}

export function memberSchema(): Schema {
  return new Schema([str('path'), str('root'), f64('size'), f64('mtime'), str('primary_path'), str('role')]);
}

/**
 * What an item is: a photo, a video, a Live Photo (a still with its motion), or a camera RAW
 * standing on its own (a RAW beside its JPEG is a member of the JPEG's item, never an item).
 * Stored as photo, video or live; a RAW is a photo whose format says so.
 */
export type ItemKind = 'photo' | 'video' | 'live' | 'raw';

/** The formats decodePhoto names camera RAW files by. */
export const RAW_FORMATS: readonly string[] = ['dng', 'cr2', 'cr3', 'nef', 'arw', 'raf', 'orf', 'rw2', 'pef', 'raw'];

export const itemKind = (stored: string, format: string): ItemKind => {
  if (stored === 'video' || stored === 'live') return stored;
  return RAW_FORMATS.includes(format) ? 'raw' : 'photo';
};
