// The built renderer's files as both front ends serve them (Electron's shoebox://app and the
// `shoebox serve` web shell): URL path to file, refusing anything that could step outside the
// folder, and the content types the build emits.
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

// A decoded segment must be a plain file or folder name: no separators, no drive letters, no
// NUL, and never "." or "..", whatever encoding smuggled them in.
const BAD_SEGMENT = /[/\\:\0]|^\.{1,2}$/;

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The path's segments, decoded; null for any that is empty, undecodable or not a plain name. */
export function decodeSegments(pathname: string): string[] | null {
  const raw = pathname.replace(/^\//, '');
  if (raw === '') return [];
  const segments: string[] = [];
  for (const part of raw.split('/')) {
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (name === '' || BAD_SEGMENT.test(name)) return null;
    segments.push(name);
  }
  return segments;
}

/** The file under `root` that the segments name, or null if it would lie outside `root`. */
export function appFilePath(root: string, segments: readonly string[]): string | null {
  const base = resolve(root);
  const file = resolve(join(base, ...(segments.length === 0 ? ['index.html'] : segments)));
  return file.startsWith(base + sep) ? file : null;
}

export type AppFile = { file: string; size: number } | { status: 404 | 503; message: string };

/**
 * The file a request for the path `segments` (decodeSegments; null if it refused them) is answered with. A single-page app: extension-less routes
 * (and the root) get the shell, a missing asset is a real 404, and a missing shell means the
 * renderer was never built (503, saying so).
 */
export async function resolveAppFile(root: string, segments: readonly string[] | null): Promise<AppFile> {
  const file = segments ? appFilePath(root, segments) : null;
  if (file === null) return { status: 404, message: 'not found' };
  const shell = join(resolve(root), 'index.html');
  const found = await fileSize(file);
  if (found !== null) return { file, size: found };
  if (file !== shell && extname(file) !== '') return { status: 404, message: 'not found' };
  const shellSize = await fileSize(shell);
  if (shellSize === null)
    return { status: 503, message: `the renderer is not built: run "npm run build" (looked in ${resolve(root)})` };
  return { file: shell, size: shellSize };
}

/** The size of the regular file at `path`; null if there is none. */
export async function fileSize(path: string): Promise<number | null> {
  const s = await stat(path).catch(() => null);
  return s?.isFile() ? s.size : null;
}

/** The part of a file a `Range` header asks for, as inclusive byte offsets. */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One `bytes=` range of a file of `size` bytes (what a video element asks for when it seeks);
 * null when there is no usable header and the whole file is sent. Several ranges at once are
 * answered with the whole file, as RFC 9110 allows; no player asks for them.
 */
export function byteRange(header: string | null | undefined, size: number): ByteRange {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    // A suffix: the last N bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** The status and headers for a range answer (206 or 416), or the plain ones for the whole file. */
export function rangeHeaders(range: ByteRange, size: number): { status: number; headers: Record<string, string> } {
  if (range === 'unsatisfiable') return { status: 416, headers: { 'content-range': `bytes */${size}` } };
  if (range === null) return { status: 200, headers: { 'accept-ranges': 'bytes', 'content-length': String(size) } };
  return {
    status: 206,
    headers: {
      'accept-ranges': 'bytes',
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': String(range.end - range.start + 1),
    },
  };
}

/**
 * Where to read for a media answer: the bytes of `range` within the part of the file that starts
 * at `base` (inclusive offsets, for createReadStream).
 */
export function readWindow(range: ByteRange, size: number, base: number): { start: number; end: number } {
  const part = range === null || range === 'unsatisfiable' ? { start: 0, end: size - 1 } : range;
  return { start: base + part.start, end: base + part.end };
}
