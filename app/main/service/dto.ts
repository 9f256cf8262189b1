import { basename } from 'node:path';
import type { TextLineRow } from '../core/store/text-table.ts';
import type { IndexProgress } from '../core/index/index-types.ts';
import type { SearchHit } from '../core/search/search.ts';
import { itemKind } from '../core/store/photo-schema.ts';
import type { MemberRow, PhotoMeta } from '../core/store/photo-schema.ts';
import type { IndexState, PhotoDetails, PhotoFace, PhotoHit } from '../../shared/types.ts';

/** Engine records → contract shapes; nothing of the library's disk layout leaks to the renderer. */
export function toPhotoHit(h: SearchHit): PhotoHit {
  return {
    id: h.id,
    path: h.path,
    score: h.score,
    width: h.width,
    height: h.height,
    takenAt: h.takenAt,
    date: h.date,
    format: h.format,
    kind: h.kind,
    durationMs: h.durationMs,
    at: h.at,
    ...(h.matched ? { matched: h.matched } : {}),
  };
}

export function toPhotoDetails(
  m: PhotoMeta,
  members: readonly MemberRow[] = [],
  text: readonly TextLineRow[] = [],
  faces: readonly PhotoFace[] = [],
): PhotoDetails {
  return {
    id: m.id,
    path: m.path,
    score: null,
    width: m.width,
    height: m.height,
    takenAt: m.taken_at,
    date: m.date_ms,
    format: m.format,
    kind: itemKind(m.kind, m.format),
    durationMs: m.duration_ms,
    at: null,
    name: basename(m.path),
    folder: m.folder,
    root: m.root,
    size: m.size,
    cameraMake: m.camera_make,
    cameraModel: m.camera_model,
    gpsLat: m.gps_lat,
    gpsLon: m.gps_lon,
    place: placeLabel(m),
    members: members.map((x) => ({ path: x.path, role: x.role })),
    text: text.map((l) => ({ text: l.text, box: l.corners })),
    faces: faces.map((f) => ({ face: f.face, x: f.x, y: f.y, w: f.w, h: f.h, atMs: f.atMs, person: f.person })),
  };
}

export function idleIndexState(): IndexState {
  return {
    running: false,
    paused: false,
    phase: 'idle',
    total: 0,
    done: 0,
    rate: 0,
    etaSeconds: null,
    indexed: 0,
    reused: 0,
    failed: 0,
    removed: 0,
    error: null,
  };
}

export function progressState(p: IndexProgress, paused: boolean): IndexState {
  return {
    running: p.phase !== 'done',
    paused,
    phase: p.phase === 'done' ? 'watching' : p.phase,
    total: p.total,
    done: p.done,
    rate: p.rate,
    etaSeconds: p.etaSeconds,
    indexed: p.indexed,
    reused: p.reused,
    failed: p.failed,
    removed: p.removed,
    error: null,
  };
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heif',
  bmp: 'image/bmp',
  // Chromium plays H.264/HEVC in QuickTime and 3GP through its MP4 demuxer, and only under this type.
  mp4: 'video/mp4',
  mov: 'video/mp4',
  m4v: 'video/mp4',
  '3gp': 'video/mp4',
  webm: 'video/webm',
  mkv: 'video/webm',
  avi: 'video/x-msvideo',
};

export function mimeOf(format: string): string {
  return MIME[format] ?? 'application/octet-stream';
}

/** "Munich, Bavaria, Germany"; a region named as its town ("Tokyo, Tokyo") is said once. */
function placeLabel(m: Pick<PhotoMeta, 'place' | 'region' | 'country'>): string | null {
  if (m.country === null) return null;
  const parts = [m.place, m.region, m.country].filter((p): p is string => p !== null);
  return parts.filter((p, i) => p !== parts[i - 1]).join(', ');
}
