import '../decode/thread-pool.ts';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { sep } from 'node:path';
import type { DecodeOptions } from '../decode/decode-photo.ts';
import { localDecoder } from '../decode/decoder.ts';
import type { Decoder } from '../decode/decoder.ts';
import { sniffVideo } from '../decode/sniff.ts';
import type { VideoContainer } from '../decode/sniff.ts';
import { decodeVideo } from '../decode/video/decode-video.ts';
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError, errorMessage } from '../errors.ts';
import type { PreprocessSpec } from '../model/model-folder.ts';
import { isVideoName } from '../scan/photo-files.ts';
import { scanRoot } from '../scan/scan-root.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { BoundedQueue, Semaphore } from './bounded-queue.ts';
import type { PauseGate } from './pause-gate.ts';
import { contentHash, streamedHash } from './photo-rows.ts';
import type { WorkItem } from './photo-rows.ts';
import { ReadBuffers, readHead } from './read-buffers.ts';
import { Pairing } from './pairing.ts';
import type { FileBytes } from './read-buffers.ts';
import { RowWriter } from './row-writer.ts';
import { thumbPath } from './thumbs.ts';
import { isDirectory, openInside } from '../scan/inside-roots.ts';
import type { IndexCounts, IndexProgress, IndexSummary, Prepared } from './index-types.ts';

export interface IndexerOptions {
  store: PhotoStore;
  embedder: Embedder;
  preprocess: PreprocessSpec;
  thumbsDir: string;
  /** Where photos are decoded: the decode process in the app (default: this process). */
  decoder?: Decoder;
  batchSize?: number;
  decodeConcurrency?: number;
  maxFileBytes?: number;
  onProgress?: (p: IndexProgress) => void;
  gate?: PauseGate;
  /** The library's roots now: a photo is read only if the file opened lies inside one (default: its own root). */
  roots?: () => readonly string[];
}

const zeroCounts = (): IndexCounts => ({ indexed: 0, reused: 0, unchanged: 0, failed: 0, removed: 0 });

/** Reasons a person can act on, for the errors reading a file can raise. */
function readFailure(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'the file disappeared before it could be read';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: Shoebox may not read this file';
    case 'EISDIR':
      return 'a folder with a photo file name';
    case 'EIO':
      return 'the disk reported a read error (EIO)';
    default:
      return errorMessage(err);
  }
}

/**
 * Brings the store in line with the roots: scans, skips what is unchanged (size and mtime),
 * reuses embeddings of known content (moves, renames, copies), decodes the rest while the
 * previous batch is in the inference process, and writes in batches.
 */
export class Indexer {
  readonly #o: Required<Omit<IndexerOptions, 'onProgress' | 'gate' | 'roots'>> &
    Pick<IndexerOptions, 'onProgress' | 'gate' | 'roots'>;

  constructor(opts: IndexerOptions) {
    this.#o = {
      ...opts,
      batchSize: opts.batchSize ?? opts.embedder.info.batch,
      // Two more decodes than cores keeps both busy while a batch is in inference (measured).
      decodeConcurrency: opts.decodeConcurrency ?? availableParallelism() + 2,
      maxFileBytes: opts.maxFileBytes ?? 512 * 1024 * 1024,
      decoder: opts.decoder ?? localDecoder,
    };
  }

  /** Full pass over the given roots. A root that is not there is reported offline, never emptied. */
  async run(roots: readonly string[], signal?: AbortSignal): Promise<IndexSummary> {
    const counts = zeroCounts();
    const offline: string[] = [];
    const work: WorkItem[] = [];
    const gone: string[] = [];
    this.#o.onProgress?.({ ...counts, phase: 'scanning', total: 0, done: 0, rate: 0, etaSeconds: null });
    for (const root of roots) {
      if (!(await isDirectory(root))) {
        offline.push(root);
        continue;
      }
      const scanned = await this.#scan(root, roots, signal);
      counts.unchanged += scanned.unchanged;
      work.push(...scanned.work);
      gone.push(...scanned.gone);
    }
    const interrupted = (await this.process(work, counts, signal)) || signal?.aborted === true;
    // Deleted last, so a file moved within the library is found by its hash before its old row goes.
    if (!interrupted) await this.remove(gone, counts, signal);
    this.#emit('done', counts, work.length, work.length, 0);
    return { ...counts, offline, interrupted };
  }

  async #scan(
    root: string,
    roots: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ work: WorkItem[]; gone: string[]; unchanged: number }> {
    const unreadable: string[] = [];
    const found = new Set<string>();
    const known = await this.#o.store.knownFiles(root);
    const failed = await this.#o.store.failures.known(root);
    const members = await this.#o.store.members.known(root);
    const work: WorkItem[] = [];
    let unchanged = 0;
    try {
      for await (const f of scanRoot(root, { signal, within: roots, onError: (p) => unreadable.push(p) })) {
        found.add(f.path);
        const before = known.get(f.path) ?? failed.get(f.path) ?? members.get(f.path);
        if (before && before.size === f.size && before.mtime === f.mtimeMs) unchanged++;
        else work.push({ path: f.path, root, size: f.size, mtime: f.mtimeMs });
      }
    } catch (err) {
      // Stopped mid-scan: what was found so far is still worth indexing; nothing counts as gone.
      if (!signal?.aborted) throw err;
    }
    // Files under a folder we could not read are not known to be gone: keep them.
    const keep = (p: string): boolean => found.has(p) || unreadable.some((u) => p === u || p.startsWith(u + sep));
    const gone = signal?.aborted ? [] : [...known.keys(), ...failed.keys(), ...members.keys()].filter((p) => !keep(p));
    return { work, gone, unchanged };
  }

  /**
   * Drops files that are gone. Members whose primary went with them (a Live Photo's MOV whose
   * still was deleted) are items of their own again and are indexed as such.
   */
  async remove(gone: readonly string[], counts: IndexCounts, signal?: AbortSignal): Promise<void> {
    if (gone.length === 0) return;
    const orphans = await this.#o.store.deletePaths(gone);
    counts.removed += gone.length;
    const work: WorkItem[] = [];
    for (const m of orphans) {
      const s = await stat(m.path).catch(() => null);
      if (s?.isFile()) work.push({ path: m.path, root: m.root, size: s.size, mtime: s.mtimeMs });
    }
    await this.process(work, counts, signal);
  }

  /** Indexes the given files (from a scan or the watcher). Returns true when interrupted. */
  async process(work: readonly WorkItem[], counts: IndexCounts, signal?: AbortSignal): Promise<boolean> {
    if (work.length === 0) return false;
    // Photos first, in a pass of their own, then videos: a video costs dozens of frames and
    // ffmpeg's threads, and a folder of them must not hold back the photos beside it, nor a
    // part-filled batch of photos wait for them (bench/video-index.ts).
    const photos = work.filter((w) => !isVideoName(w.path));
    const videos = work.filter((w) => isVideoName(w.path));
    const progress = { total: work.length, done: 0, started: Date.now() };
    // Read once for both passes: each pass's writer adds what it stores.
    const known = await this.#o.store.knownHashes();
    if (await this.#pass(photos, known, counts, progress, signal)) return true;
    return this.#pass(videos, known, counts, progress, signal);
  }

  async #pass(
    items: readonly WorkItem[],
    known: Set<string>,
    counts: IndexCounts,
    progress: { total: number; done: number; started: number },
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (items.length === 0) return false;
    const queue = new BoundedQueue<Prepared>(this.#o.batchSize * 2);
    const pairing = new Pairing();
    const writer = new RowWriter(this.#o.store, this.#o.embedder.modelId, known, this.#o.batchSize);
    const producing = this.#produce(items, known, queue, pairing, signal);
    let batch: Prepared[] = [];
    let decoded = 0;
    // A batch is written when it has a model batch of decoded photos, or enough copies and
    // failures (a moved folder is all copies) that progress and crash safety do not wait for the end.
    const maxItems = this.#o.batchSize * 8;
    try {
      for (;;) {
        const next = await queue.take();
        if (next) batch.push(next);
        if (next?.kind === 'decoded') decoded++;
        if (next && decoded < this.#o.batchSize && batch.length < maxItems) continue;
        await writer.handle(batch, (rgb, n) => this.#o.embedder.embedImages(rgb, n), counts);
        progress.done += batch.length;
        batch = [];
        decoded = 0;
        this.#emit('indexing', counts, progress.total, progress.done, progress.started);
        if (!next || signal?.aborted) break;
      }
    } catch (err) {
      // A write failed: stop decoding (nobody will take what it makes) and let a write still in
      // flight end before passing it on, so nothing touches the store after the run has failed.
      queue.close();
      await producing.catch(() => undefined);
      await writer.settle();
      throw err;
    }
    queue.close();
    await producing;
    await writer.finish(counts);
    return signal?.aborted ?? false;
  }

  async #produce(
    items: readonly WorkItem[],
    known: Set<string>,
    queue: BoundedQueue<Prepared>,
    pairing: Pairing,
    signal?: AbortSignal,
  ): Promise<void> {
    const slots = new Semaphore(this.#o.decodeConcurrency);
    const buffers = new ReadBuffers();
    const inRun = new Set<string>();
    const running = new Set<Promise<void>>();
    for (const item of items) {
      await this.#o.gate?.pass(signal);
      if (signal?.aborted || queue.closed) break;
      await slots.acquire();
      const task = this.#paired(item, pairing, () => this.#prepare(item, known, inRun, buffers))
        .then((p) => queue.put(p))
        .finally(() => {
          slots.release();
          running.delete(task);
        });
      running.add(task);
    }
    await Promise.all(running);
    queue.close();
  }

  /** A member file is recorded, never decoded; a still takes its members along. */
  async #paired(item: WorkItem, pairing: Pairing, prepare: () => Promise<Prepared>): Promise<Prepared> {
    const member = await pairing.primaryOf(item);
    if (member) return { kind: 'member', item, member };
    const prepared = await prepare();
    if (prepared.kind !== 'decoded' && prepared.kind !== 'copy') return prepared;
    return { ...prepared, members: await pairing.membersOf(item) };
  }

  async #prepare(item: WorkItem, known: Set<string>, inRun: Set<string>, buffers: ReadBuffers): Promise<Prepared> {
    let file: FileBytes | null = null;
    try {
      // Videos are told by their first bytes and never read whole: ffmpeg reads them from disk.
      const container = sniffVideo(await readHead(item.path));
      if (container) return await this.#prepareVideo(item, container, known, inRun);
      if (item.size > this.#o.maxFileBytes)
        return { kind: 'failed', item, reason: `file too large (${Math.round(item.size / 1048576)} MB)` };
      // Opened only if the open file is the one inside a root: a folder swapped for a link
      // between the scan and this read reads nothing from elsewhere.
      file = await buffers.read(item.path, async (path) => {
        const handle = await openInside(path, this.#o.roots?.() ?? [item.root]);
        if (handle) return handle;
        await stat(path); // a file that is gone says so (ENOENT), rather than "not inside"
        throw new ShoeboxError('DECODE_FAILED', 'the file is no longer inside the folder (a link leads elsewhere)');
      });
      const hash = await contentHash(file.bytes);
      if (known.has(hash) || inRun.has(hash)) return { kind: 'copy', item, hash, members: [] };
      inRun.add(hash);
      const decoded = await this.#o.decoder.photo(file.bytes, this.#decodeOptions(hash, item), file.source);
      return { kind: 'decoded', item, hash, decoded, members: [] };
    } catch (err) {
      return { kind: 'failed', item, reason: readFailure(err) };
    } finally {
      // The decoder has settled every read of the bytes (it waits for all its parts even on failure).
      file?.release();
    }
  }

  async #prepareVideo(
    item: WorkItem,
    container: VideoContainer,
    known: Set<string>,
    inRun: Set<string>,
  ): Promise<Prepared> {
    const hash = await streamedHash(item.path);
    if (known.has(hash) || inRun.has(hash)) return { kind: 'copy', item, hash, members: [] };
    inRun.add(hash);
    const decoded = await decodeVideo(item.path, container, this.#decodeOptions(hash, item));
    return { kind: 'decoded', item, hash, decoded, members: [] };
  }

  #decodeOptions(hash: string, item: WorkItem): DecodeOptions {
    return {
      preprocess: this.#o.preprocess,
      inputSize: this.#o.embedder.info.inputSize,
      thumbFile: thumbPath(this.#o.thumbsDir, hash),
      fileName: item.path,
    };
  }

  #emit(phase: IndexProgress['phase'], counts: IndexCounts, total: number, done: number, started: number): void {
    if (!this.#o.onProgress) return;
    const seconds = started > 0 ? (Date.now() - started) / 1000 : 0;
    const rate = seconds > 0 ? done / seconds : 0;
    const etaSeconds = rate > 0 ? (total - done) / rate : null;
    this.#o.onProgress({ ...counts, phase, total, done, rate, etaSeconds });
  }
}
