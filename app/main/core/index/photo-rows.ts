import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { DecodedPhoto } from '../decode/decode-photo.ts';
import type { Place } from '../places/reverse-geocode.ts';
import type { FailureRow, FrameRow, PhotoRow } from '../store/photo-schema.ts';

/** A file the indexer has to look at: new, or changed since it was stored. */
export interface WorkItem {
  path: string;
  root: string;
  size: number;
  mtime: number;
}

export function photoId(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 24);
}

/**
 * SHA-256 of the file, computed by WebCrypto on libuv's pool rather than on the main thread: a
 * 12 MP JPEG takes 2-4 ms to hash, and the main thread that orchestrates every decode cannot
 * spare that when a GPU wants 100+ photos a second.
 */
export async function contentHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

function placeFields(
  item: WorkItem,
): Pick<PhotoRow, 'id' | 'path' | 'root' | 'folder' | 'ext' | 'size' | 'mtime' | 'status' | 'indexed_at'> {
  return {
    id: photoId(item.path),
    path: item.path,
    root: item.root,
    folder: dirname(item.path),
    ext: extname(basename(item.path)).slice(1).toLowerCase(),
    size: item.size,
    mtime: item.mtime,
    status: 'ok',
    indexed_at: Date.now(),
  };
}

export function rowFromDecoded(
  item: WorkItem,
  hash: string,
  d: DecodedPhoto,
  vector: Float32Array,
  modelId: string,
  /** A Live Photo: motion sits beside it. */
  live = false,
  place: Place | null = null,
): PhotoRow {
  return {
    ...placeFields(item),
    hash,
    width: d.width,
    height: d.height,
    format: d.format,
    kind: d.video ? 'video' : live || d.motion !== undefined ? 'live' : 'photo',
    duration_ms: d.video?.durationMs ?? null,
    taken_at: d.takenAt,
    date_ms: d.takenAt ?? item.mtime,
    camera_make: d.cameraMake,
    camera_model: d.cameraModel,
    gps_lat: d.gpsLat,
    gps_lon: d.gpsLon,
    place: place?.city ?? null,
    region: place?.region ?? null,
    country: place?.country ?? null,
    model_id: modelId,
    vector,
  };
}

/** The model inputs of an item: one for a photo, every sampled frame for a video. */
export const imagesOf = (d: DecodedPhoto): Uint8Array[] => (d.video ? d.video.frames.map((f) => f.rgb) : [d.rgb]);

/** A video's frame rows from its frames' vectors (in the order imagesOf gave them). */
export function frameRows(hash: string, d: DecodedPhoto, vectors: Float32Array[]): FrameRow[] {
  return (d.video?.frames ?? []).map((f, i) => ({ hash, at_ms: f.atMs, vector: vectors[i]! }));
}

/** Which of imagesOf's vectors is the item's own: the poster frame's for a video. */
export function ownVectorIndex(d: DecodedPhoto): number {
  return d.video
    ? Math.max(
        0,
        d.video.frames.findIndex((f) => f.atMs === d.video!.posterAtMs),
      )
    : 0;
}

/**
 * SHA-256 of a file read as a stream: a video may be gigabytes, far more than is ever read into
 * memory at once. Same digest as contentHash, so identity means the same thing for every item.
 */
export async function streamedHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Same content at another place (moved, renamed, copied): keep the embedding and metadata. */
export function rowFromCopy(item: WorkItem, source: PhotoRow, live: boolean): PhotoRow {
  const kind = live && source.kind !== 'video' ? 'live' : source.kind;
  return { ...source, ...placeFields(item), kind, date_ms: source.taken_at ?? item.mtime };
}

export function failureRow(item: WorkItem, reason: string): FailureRow {
  return { path: item.path, root: item.root, size: item.size, mtime: item.mtime, reason, failed_at: Date.now() };
}
