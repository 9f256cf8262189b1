import { join } from 'node:path';

/** Thumbnails are keyed by content hash: a moved or copied photo finds its thumbnail again. */
export function thumbPath(thumbsDir: string, hash: string): string {
  return join(thumbsDir, hash.slice(0, 2), `${hash}.webp`);
}
