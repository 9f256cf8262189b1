// The files behind the app's media URLs: thumbnails, originals, rendered copies and Live Photos'
// motion, opened for whoever streams them (the Electron protocol, the web server).
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Engine } from '../core/engine/engine.ts';
import { openInside } from '../core/scan/inside-roots.ts';
import { parseThumbId } from '../../shared/media-ids.ts';
import { mimeOf } from './dto.ts';

/** What a media URL names: a thumbnail, the photo or video itself, or a Live Photo's motion. */
export type MediaKind = 'thumb' | 'photo' | 'motion';

/**
 * A media answer's file, open: `size` bytes from `start` (a motion photo's movie is part of its
 * still's file). Whoever takes it closes the handle.
 */
export interface OpenMedia {
  handle: FileHandle;
  size: number;
  contentType: string;
  start: number;
}

/** One of the library's own files (a thumbnail, a display copy), whole. */
async function openWhole(path: string, contentType: string): Promise<OpenMedia | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return null;
  return { handle, size: (await handle.stat()).size, contentType, start: 0 };
}

/**
 * The file behind a thumbnail, photo, video or motion URL, opened: only ids the library knows
 * resolve, so no URL can name an arbitrary path, and an original is opened only if the open
 * file is the one inside a root (openInside), so a link swapped in since indexing serves nothing.
 */
export async function openMedia(engine: Engine, kind: MediaKind, id: string): Promise<OpenMedia | null> {
  // A thumbnail may be a video's moment (media-ids.ts); the rest are named by photo id alone.
  const named = parseThumbId(id);
  if (!named || (kind !== 'thumb' && named.atMs !== null)) return null;
  const meta = await engine.photo(named.photoId);
  if (!meta) return null;
  if (kind === 'thumb') return openWhole(engine.thumbFile(meta.hash, named.atMs), 'image/webp');
  const roots = engine.library.roots();
  if (kind === 'motion') {
    const motion = await engine.motion(meta).catch(() => null);
    const handle = motion && (await openInside(motion.path, roots));
    if (!motion || !handle) return null;
    const size = motion.slice?.length ?? (await handle.stat()).size;
    return { handle, size, contentType: mimeOf(motion.format), start: motion.slice?.start ?? 0 };
  }
  const original = await openInside(meta.path, roots);
  if (!original) return null;
  // HEIC, RAW and TIFF are shown through a rendered copy; a file that no longer decodes has none.
  const shown = await engine.viewableFile(meta).catch(() => null);
  if (shown?.path === meta.path) {
    return { handle: original, size: (await original.stat()).size, contentType: mimeOf(shown.format), start: 0 };
  }
  await original.close();
  return shown && openWhole(shown.path, mimeOf(shown.format));
}
