import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Decoder } from '../decode/decoder.ts';

/** Long edge of a display copy: sharp on a 4K screen, a fraction of a RAW's 24–60 MP. */
export const DISPLAY_EDGE = 2560;

/** Display copies are keyed by content hash like thumbnails: a moved photo keeps its copy. */
export function displayCopyPath(copiesDir: string, hash: string): string {
  return join(copiesDir, hash.slice(0, 2), `${hash}.webp`);
}

/**
 * The display copy of a photo browsers cannot show (HEIC, RAW, TIFF), made on first view from
 * the file itself and kept; readers never see a half-written one.
 */
export async function displayCopy(
  copiesDir: string,
  photo: { path: string; hash: string },
  decoder: Decoder,
): Promise<string> {
  const file = displayCopyPath(copiesDir, photo.hash);
  if ((await stat(file).catch(() => null))?.isFile()) return file;
  const webp = await decoder.display(await readFile(photo.path), { fileName: photo.path, maxEdge: DISPLAY_EDGE });
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, webp);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}
