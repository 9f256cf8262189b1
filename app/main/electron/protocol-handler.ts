// What answers shoebox:// requests: the built renderer under shoebox://app, thumbnails and photos
// under shoebox://thumb/<id> and shoebox://photo/<id>. Written against the web platform's
// Request/Response (Node has both) so it runs and is tested without Electron.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { APP_SCHEME, MEDIA_HOSTS } from './security.ts';
import { TYPES, byteRange, decodeSegments, rangeHeaders, readWindow, resolveAppFile } from '../static-files.ts';
import { parseThumbId } from '../../shared/media-ids.ts';
import type { MediaKind } from './security.ts';
import type { FileHandle } from 'node:fs/promises';

/** The one thing the protocol needs from the library: a known photo id to a file, or null. */
export interface MediaSource {
  openMedia(
    kind: MediaKind,
    id: string,
  ): Promise<{ handle: FileHandle; size: number; contentType: string; start: number } | null>;
}

export type Route =
  { kind: 'app'; segments: string[] } | { kind: 'media'; media: MediaKind; id: string } | { kind: 'none' };

const NONE: Route = { kind: 'none' };
/** Maps a shoebox:// URL to what it names, refusing anything that could step outside it. */
export function routeShoeboxUrl(url: string): Route {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return NONE;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.username !== '' || u.password !== '' || u.port !== '') return NONE;
  const host = u.hostname.toLowerCase();
  if (host === 'app') {
    const segments = decodeSegments(u.pathname);
    return segments ? { kind: 'app', segments } : NONE;
  }
  if ((MEDIA_HOSTS as readonly string[]).includes(host)) {
    // Media URLs come from thumbUrl/photoUrl only: exactly /<id>, nothing appended; a
    // thumbnail's id may name a video's moment (media-ids.ts).
    const m = /^\/([0-9a-f-]+)$/.exec(u.pathname);
    const named = m && parseThumbId(m[1]!);
    if (!named || u.search !== '' || (host !== 'thumb' && named.atMs !== null)) return NONE;
    return { kind: 'media', media: host as MediaKind, id: m[1]! };
  }
  return NONE;
}

export interface ProtocolHandlerOptions {
  /** The built renderer (vite build output). */
  rendererDir: string;
  /** The library, or null while it is still opening. */
  media: () => MediaSource | null;
  csp: string;
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

async function serveApp(o: ProtocolHandlerOptions, segments: string[], head: boolean): Promise<Response> {
  const found = await resolveAppFile(o.rendererDir, segments);
  if ('status' in found) return text(found.status, found.message);
  const { file } = found;
  const body = head ? null : new Uint8Array(await readFile(file));
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': o.csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-cache',
    },
  });
}

async function serveMedia(
  o: ProtocolHandlerOptions,
  media: MediaKind,
  id: string,
  request: Request,
  head: boolean,
): Promise<Response> {
  const file = await o.media()?.openMedia(media, id);
  if (!file) return text(404, 'no such photo');
  const size = file.size;
  // A video element seeks with range requests; answering them is what lets it jump to a moment.
  const range = byteRange(request.headers.get('range'), size);
  const { status, headers } = rangeHeaders(range, size);
  let body: ReadableStream<Uint8Array> | null = null;
  if (head || status === 416 || size === 0) await file.handle.close();
  else
    body = Readable.toWeb(
      file.handle.createReadStream(readWindow(range, size, file.start)),
    ) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status,
    headers: {
      ...headers,
      'content-type': file.contentType,
      'cache-control': 'private, max-age=3600',
      // A photo opened on its own runs nothing and loads nothing, whatever its bytes say.
      'content-security-policy': "default-src 'none'; sandbox",
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The shoebox:// request handler. Failures answer 404/500 and never carry a file path. */
export function createProtocolHandler(o: ProtocolHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed');
    const head = request.method === 'HEAD';
    const route = routeShoeboxUrl(request.url);
    try {
      if (route.kind === 'app') return await serveApp(o, route.segments, head);
      if (route.kind === 'media') return await serveMedia(o, route.media, route.id, request, head);
      return text(404, 'not found');
    } catch {
      return text(500, 'could not read that file');
    }
  };
}
