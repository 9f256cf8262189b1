import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { readInto, sourceOf } from '../decode/file-source.ts';
import type { FileSource } from '../decode/file-source.ts';

/**
 * Files bigger than this get a buffer of their own, freed with the photo: camera JPEGs and HEICs
 * fit, and the pool (one buffer per decode slot) never holds a RAW file's worth per slot.
 */
const POOLED_MAX_BYTES = 16 * 1024 * 1024;

/** A file's bytes in a pooled buffer; `release` hands the buffer back once nothing reads them any more. */
export interface FileBytes {
  bytes: Buffer<ArrayBuffer>;
  /** The file they were read from, as opened: a decoder in another process reads it again. */
  source: FileSource;
  release: () => void;
}

/**
 * Read buffers reused from photo to photo. A fresh buffer per photo (readFile) is external memory
 * to V8, and a few MB of it per photo made V8 run a full mark-compact every ~16 photos on the
 * thread that orchestrates every decode: measured at 7 ms of that thread's time per photo, which
 * caps indexing on a machine with many cores and a GPU.
 */
export class ReadBuffers {
  readonly #free: Buffer<ArrayBuffer>[] = [];

  /**
   * The whole file. `open` opens it (default: plainly); the indexer passes one that opens only a
   * file inside the roots and throws otherwise.
   */
  async read(path: string, opener: (path: string) => Promise<FileHandle> = (p) => open(p, 'r')): Promise<FileBytes> {
    const file = await opener(path);
    try {
      const stats = await file.stat();
      const size = stats.size;
      const pooled = size <= POOLED_MAX_BYTES;
      const buffer = pooled ? this.#take(size) : Buffer.allocUnsafe(size);
      const filled = await readInto(file, buffer, size);
      let released = false;
      return {
        bytes: buffer.subarray(0, filled),
        source: sourceOf(path, stats),
        release: () => {
          if (released || !pooled) return;
          released = true;
          this.#free.push(buffer);
        },
      };
    } finally {
      await file.close();
    }
  }

  #take(size: number): Buffer<ArrayBuffer> {
    // The smallest free buffer that fits, so a big one stays for a big photo.
    let fits = -1;
    this.#free.forEach((b, i) => {
      if (b.length >= size && (fits < 0 || b.length < this.#free[fits]!.length)) fits = i;
    });
    if (fits >= 0) return this.#free.splice(fits, 1)[0]!;
    // None big enough: replace the smallest free one, so the pool does not grow past the slots in use.
    if (this.#free.length > 0) this.#free.sort((a, b) => a.length - b.length).shift();
    // Rounded up so a slightly bigger next photo still fits.
    return Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / 1048576) * 1048576);
  }
}

/** The first `n` bytes of a file (fewer when it is shorter): enough to tell what it holds. */
export async function readHead(path: string, n = 64): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(n);
    const { bytesRead } = await file.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
