// A file the decode process reads for itself, so its bytes need not cross to it over IPC (for a
// 4 MB photo that cost the indexing process 34-39 ms of CPU where this costs it 15;
// bench/decode-ipc.ts). The indexer has
// already opened it (inside a root, checked on the open file), read and hashed it; the decode
// process opens it again and decodes it only if it is still that file, unchanged: same device and
// inode (whatever path leads there now), same size and modification time.
import { open } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ShoeboxError } from '../errors.ts';

export interface FileSource {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function sourceOf(path: string, s: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs'>): FileSource {
  return { path, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

const CHANGED = 'the file changed while it was being indexed (it is read again next time)';

/** Reads up to `size` bytes from the start of the open file into `buffer`; how many it read (fewer if it is shorter). */
export async function readInto(file: FileHandle, buffer: Buffer, size: number): Promise<number> {
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await file.read(buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

const same = (a: FileSource, b: FileSource): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The whole file, if it is still the one described; else DECODE_FAILED (it is read again next time). */
export async function readSource(source: FileSource): Promise<Buffer> {
  const file = await open(source.path, 'r');
  try {
    const now = sourceOf(source.path, await file.stat());
    if (!same(now, source)) throw new ShoeboxError('DECODE_FAILED', CHANGED);
    const bytes = Buffer.allocUnsafeSlow(source.size);
    if ((await readInto(file, bytes, source.size)) !== source.size) throw new ShoeboxError('DECODE_FAILED', CHANGED);
    return bytes;
  } finally {
    await file.close();
  }
}
