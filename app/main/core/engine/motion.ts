import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { embeddedVideoOffset } from '../decode/motion-photo.ts';
import type { MemberRow, PhotoMeta } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';

/** The movie of a Live Photo or motion photo: a whole file, or the part of one where it lies. */
export interface MotionFile {
  path: string;
  format: string;
  /** For a movie inside the still's own file: its first byte and length. */
  slice?: { start: number; length: number };
}

// Motion photos put the movie after the still; reading more than this to find it is not worth it.
const MAX_MOTION_PHOTO_BYTES = 64 * 1024 * 1024;

async function embeddedMotion(path: string): Promise<MotionFile | null> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > MAX_MOTION_PHOTO_BYTES) return null;
    const buf = Buffer.alloc(size);
    await file.read(buf, 0, size, 0);
    const start = embeddedVideoOffset(buf);
    return start === null ? null : { path, format: 'mp4', slice: { start, length: size - start } };
  } finally {
    await file.close();
  }
}

/** A Live Photo's motion (its MOV beside it) or a motion photo's (inside it); null for a plain still. */
export async function motionOf(store: PhotoStore, photo: PhotoMeta): Promise<MotionFile | null> {
  if (photo.kind !== 'live') return null;
  const motion = (await store.members.of(photo.path)).find((m) => m.role === 'motion');
  if (motion) return { path: motion.path, format: extname(motion.path).slice(1).toLowerCase() };
  return photo.format === 'jpeg' ? embeddedMotion(photo.path) : null;
}

export async function membersOf(store: PhotoStore, photo: PhotoMeta): Promise<MemberRow[]> {
  return store.members.of(photo.path);
}
