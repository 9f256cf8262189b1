import { extname } from 'node:path';

/** Camera RAW extensions (lower case, no dot): decoded through the JPEG the camera embedded (decode/raw). */
export const RAW_EXTENSIONS: ReadonlySet<string> = new Set([
  'dng',
  'cr2',
  'cr3',
  'nef',
  'arw',
  'raf',
  'orf',
  'rw2',
  'pef',
  'srw',
]);

/** Video extensions: probed and sampled by ffmpeg (decode/video). */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', '3gp']);

/** Extensions (lower case, no dot) of the files the library indexes. */
export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'avif',
  'tif',
  'tiff',
  'gif',
  'bmp',
  'heic',
  'heif',
  ...RAW_EXTENSIONS,
  ...VIDEO_EXTENSIONS,
]);

/** True when `path` is named like a video (what it really is, its first bytes decide). */
export function isVideoName(path: string): boolean {
  return VIDEO_EXTENSIONS.has(extname(path).slice(1).toLowerCase());
}

// Folders and files that operating systems, NAS boxes and archivers drop into photo folders.
// Compared lower-cased: Windows and macOS filesystems are case-insensitive, so `thumbs.db`
// is the same file as `Thumbs.db` there.
const SYSTEM_NAMES: ReadonlySet<string> = new Set([
  'thumbs.db',
  'desktop.ini',
  '.ds_store',
  '$recycle.bin',
  'system volume information',
  '.trashes',
  '.spotlight-v100',
  '@eadir',
  '__macosx',
  'lost+found',
]);

/** True when `path` ends in a photo extension, compared case-insensitively (`IMG_1.JPG`). */
export function isPhotoFile(path: string): boolean {
  const ext = extname(path);
  return ext.length > 1 && PHOTO_EXTENSIONS.has(ext.slice(1).toLowerCase());
}

/**
 * True for a single path segment that is never scanned: hidden entries (which also covers
 * macOS AppleDouble `._*` companions, whose bytes are resource forks, not images) and the
 * system folders/files in SYSTEM_NAMES.
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase());
}
