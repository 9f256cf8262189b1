// Imported first by the entry points and the indexer. libuv runs sharp's decodes (and file reads
// and WebCrypto's hashing) on a pool of 4 threads unless told otherwise, so on a machine with
// more cores the indexer's decode slots would queue behind 4 threads and leave cores idle. The
// size is read once, when the pool first starts, hence a side-effect module evaluated early.
import { availableParallelism } from 'node:os';

/** Every core decoding, plus room for the file reads and hashes that share the pool. */
export function poolSizeFor(cores: number): number {
  return Math.min(1024, Math.max(4, cores + 2));
}

// A user's or packager's own setting wins.
process.env.UV_THREADPOOL_SIZE ??= String(poolSizeFor(availableParallelism()));
