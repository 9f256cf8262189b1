import { realpath } from 'node:fs/promises';
import { Albums } from './albums/albums.ts';
import { Embedder } from './embed/embedder.ts';
import type { EmbedderOptions } from './embed/embedder.ts';
import { providersFor } from './embed/providers.ts';
import type { Device } from './embed/providers.ts';
import type { EmbedderInfo } from './embed/embed-protocol.ts';
import { ShoeboxError, errorMessage } from './errors.ts';
import { Indexer } from './index/indexer.ts';
import type { PauseGate } from './index/pause-gate.ts';
import type { IndexCounts, IndexProgress, IndexSummary } from './index/indexer.ts';
import { Library } from './library/library.ts';
import { openModelFolder } from './model/model-folder.ts';
import { MODEL_SETUP_HINT } from './models/model-store.ts';
import { dropModelVectors } from './models/remove-model.ts';
import type { ModelFolder } from './model/model-folder.ts';
import { listByDate, searchSimilar, searchText } from './search/search.ts';
import type { SearchFilters, SearchHit, SearchOptions } from './search/search.ts';
import { thumbPath } from './index/thumbs.ts';
import { ReadLeases } from './read-leases.ts';
import { PhotoStore } from './store/photo-store.ts';
import { sqlString } from './store/sql.ts';
import { isDirectory } from './scan/inside-roots.ts';
import type { FailureRow, PhotoMeta } from './store/photo-schema.ts';
import { watchLibrary } from './watch-library.ts';
import type { WatchEvents } from './watch-library.ts';

export interface EngineOptions extends EmbedderOptions {
  libraryDir: string;
  /** Force an execution provider (remembered by the library); default: the library's, else auto. */
  device?: Device;
  /** A model folder; when absent, the one this library last used. */
  modelDir?: string;
  batchSize?: number;
  /** Photos decoded at once while indexing; default the cores + 2. */
  decodeConcurrency?: number;
}

export interface RootStatus {
  path: string;
  online: boolean;
  photos: number;
  failed: number;
}

export interface LibraryStatus {
  library: string;
  roots: RootStatus[];
  photos: number;
  failed: number;
  failures: FailureRow[];
  model: { id: string; dir: string; dim: number; inputSize: { width: number; height: number }; contextLength: number; provider: string; fallbacks: string[] } | null;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  gate?: PauseGate;
  /** After a model switch: the new model's table has caught up, and `previous` was closed. */
  onCaughtUp?: (previous: ModelRef) => void;
}

/** A model by the id its vectors are stored under and the folder it was opened from. */
export interface ModelRef {
  id: string;
  dir: string;
}

interface Loaded {
  model: ModelFolder;
  embedder: Embedder;
  store: PhotoStore;
  reads: ReadLeases;
}

function refOf(l: Loaded | null): ModelRef | null {
  return l ? { id: l.model.id, dir: l.model.dir } : null;
}

/**
 * The one engine API every front end calls (CLI, Electron main, local web server). Opened for
 * reading (search, status: no lock, never waits) or for writing (add, remove, index, watch).
 */
export class Engine {
  readonly library: Library;
  readonly #opts: EngineOptions;
  /** The library's model: indexing writes its vectors. */
  #loaded: Promise<Loaded> | null = null;
  /** After a switch, the model that answers reads until the current one's table has caught up. */
  #previous: Loaded | null = null;
  /** Set by switchModel; wins over the options' and library.json's model folder. */
  #modelDir: string | undefined;
  #albums: Promise<Albums> | null = null;

  private constructor(library: Library, opts: EngineOptions) {
    this.library = library;
    this.#opts = opts;
  }

  static async open(opts: EngineOptions, mode: { write: boolean; command?: string }): Promise<Engine> {
    const library = await Library.open(opts.libraryDir, mode.write ? { write: true, command: mode.command ?? 'shoebox' } : { write: false });
    return new Engine(library, opts);
  }

  /** Opens the model (inference process) and its table on first use. */
  async #load(): Promise<Loaded> {
    this.#loaded ??= (async () => {
      const dir = this.#modelDir ?? this.#opts.modelDir ?? this.library.settings.modelDir;
      if (dir === undefined) {
        throw new ShoeboxError('MODEL_MISSING', `no CLIP model set up: ${MODEL_SETUP_HINT}`);
      }
      const loaded = await this.#open(await openModelFolder(dir));
      try {
        await this.#remember(loaded.model.dir);
        return loaded;
      } catch (err) {
        await this.#retire(loaded);
        throw err;
      }
    })();
    return this.#loaded;
  }

  async #open(model: ModelFolder): Promise<Loaded> {
    const device = this.#opts.device ?? this.library.settings.device ?? 'auto';
    const { releaseImagesAfterMs, exitWhenIdleMs, spawn, onProviderChange } = this.#opts;
    const threads = this.#opts.threads || undefined;
    const embedder = await Embedder.start(model, { providers: this.#opts.providers ?? providersFor(device), threads, releaseImagesAfterMs, exitWhenIdleMs, spawn, onProviderChange });
    try {
      const store = await PhotoStore.open(this.library.dbDir, model.id, embedder.info.dim);
      return { model, embedder, store, reads: new ReadLeases() };
    } catch (err) {
      await embedder.close();
      throw err;
    }
  }

  /** Records the model folder (and a forced device) in library.json, when opened for writing. */
  async #remember(dir: string): Promise<void> {
    const device = this.#opts.device;
    if (!this.library.writable) return;
    if (this.library.settings.modelDir === dir && (!device || this.library.settings.device === device)) return;
    await this.library.update((s) => ({ ...s, modelDir: dir, ...(device ? { device } : {}) }));
  }

  /** Closes a model once the reads that picked it have finished. */
  async #retire(l: Loaded): Promise<void> {
    await l.reads.drained();
    l.store.close();
    await l.embedder.close();
  }

  /**
   * Runs a read on the model that answers searches: the previous one while the current one's
   * table is still being filled after a switch, so a search never sees a half-filled table, and
   * every read uses exactly one model's table and text encoder.
   */
  async #read<T>(fn: (l: Loaded) => Promise<T>): Promise<T> {
    const current = await this.#load();
    const l = this.#previous ?? current;
    return l.reads.run(() => fn(l));
  }

  /** The model photos are indexed with, and the one still answering reads while it catches up. */
  async models(): Promise<{ current: ModelRef | null; previous: ModelRef | null }> {
    return { current: refOf(await this.#loaded?.catch(() => null) ?? null), previous: refOf(this.#previous) };
  }

  /**
   * Makes the model folder at `dir` the library's model (recorded in library.json). Its table
   * fills as the library is indexed (the caller runs index or watch); until it has caught up,
   * reads keep using the model that answered before. Stop any index or watch on this engine
   * first: the model it writes with may be closed here.
   */
  async switchModel(dir: string): Promise<ModelRef> {
    const model = await openModelFolder(dir);
    const current = (await this.#loaded?.catch(() => null)) ?? null;
    await this.#dropAlbums();
    if (current?.model.id === model.id) {
      // The same weights from another folder: the same table, nothing to re-embed.
      this.#loaded = Promise.resolve({ ...current, model });
    } else if (this.#previous?.model.id === model.id) {
      // Back to the model still answering, before the other one caught up: it is whole already.
      const back = this.#previous;
      this.#previous = null;
      this.#loaded = Promise.resolve({ ...back, model });
      if (current) await this.#retire(current);
    } else {
      const next = await this.#open(model);
      const answering = this.#previous ?? current;
      // A model that never caught up has never answered a read: it can go at once.
      if (this.#previous && current) await this.#retire(current);
      this.#previous = answering;
      this.#loaded = Promise.resolve(next);
    }
    this.#modelDir = model.dir;
    await this.#remember(model.dir);
    return { id: model.id, dir: model.dir };
  }

  /**
   * Retires the previous model once the current one's table has caught up: a full index of
   * every root finished, or the table holds at least as many photos as the previous one's.
   */
  async #catchUp(opts: RunOptions, run?: IndexSummary): Promise<void> {
    const previous = this.#previous;
    if (!previous) return;
    const current = await this.#load();
    const complete = run !== undefined && !run.interrupted && run.offline.length === 0;
    if (!complete && (await current.store.count()) < (await previous.store.count())) return;
    if (this.#previous !== previous) return;
    this.#previous = null;
    await this.#retire(previous);
    opts.onCaughtUp?.({ id: previous.model.id, dir: previous.model.dir });
  }

  /** Drops a model's photos table and so its vectors; never the current or previous model's. */
  async removeModelVectors(modelId: string): Promise<boolean> {
    if (!this.library.writable) throw new ShoeboxError('INTERNAL', 'library opened read-only');
    const { current, previous } = await this.models();
    if (current?.id === modelId || previous?.id === modelId) {
      throw new ShoeboxError('BAD_REQUEST', `the vectors of ${modelId} are in use: switch to another model first`);
    }
    return dropModelVectors(this.library, modelId);
  }

  async #dropAlbums(): Promise<void> {
    const albums = await this.#albums?.catch(() => null);
    this.#albums = null;
    await albums?.close();
  }

  /** The opened model, embedder and photo table, for engine features built on top (albums). */
  async parts(): Promise<{ model: ModelFolder; embedder: Embedder; store: PhotoStore }> {
    return this.#load();
  }

  /** Albums, tags and marks over this library and model; read-only unless opened for writing. */
  async albums(): Promise<Albums> {
    this.#albums ??= (async () => {
      const { embedder, store } = await this.#load();
      return Albums.open({ embedder, store }, this.library.dir, { writable: this.library.writable });
    })();
    return this.#albums;
  }

  async modelInfo(): Promise<EmbedderInfo & { id: string }> {
    const { embedder } = await this.#load();
    return { ...embedder.info, id: embedder.modelId };
  }

  async addRoot(folder: string): Promise<string> {
    return (await this.library.addRoot(folder)).path;
  }

  /** Deletes the root's entries (never files) from every model's table, then forgets the root. */
  async removeRoot(folder: string): Promise<{ root: string; removed: number }> {
    const root = await this.library.findRoot(folder);
    const removed = await PhotoStore.deleteRootEverywhere(this.library.dbDir, root);
    await this.library.removeRoot(root);
    return { root, removed };
  }

  async #indexer(o: RunOptions): Promise<{ indexer: Indexer; store: PhotoStore }> {
    const { model, embedder, store } = await this.#load();
    const indexer = new Indexer({
      store, embedder, preprocess: model.preprocess, thumbsDir: this.library.thumbsDir,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.gate ? { gate: o.gate } : {}),
      ...(this.#opts.batchSize ? { batchSize: this.#opts.batchSize } : {}),
      ...(this.#opts.decodeConcurrency ? { decodeConcurrency: this.#opts.decodeConcurrency } : {}),
    });
    return { indexer, store };
  }

  async index(opts: RunOptions = {}): Promise<IndexSummary> {
    const { indexer, store } = await this.#indexer(opts);
    const summary = await indexer.run(this.library.roots(), opts.signal);
    await store.maintain();
    await this.#catchUp(opts, summary);
    // Tagging reuses the stored vectors (no image inference) and only does photos it has not seen.
    if (!summary.interrupted && this.library.writable) await (await this.albums()).retag(opts.signal);
    return summary;
  }

  /** Indexes, then keeps the index current until the signal aborts. */
  async watch(opts: RunOptions & { signal: AbortSignal; events?: WatchEvents }): Promise<void> {
    const first = await this.index(opts);
    opts.events?.onIndexed?.(first);
    if (opts.signal.aborted) return;
    const { indexer, store } = await this.#indexer(opts);
    const events = opts.events ?? {};
    // Photos the watcher brings in are tagged too, once each batch of changes is applied.
    const onApplied = (c: IndexCounts): void => {
      events.onApplied?.(c);
      this.#catchUp(opts).catch((err: unknown) => events.onError?.(new Error(`could not finish the switch of models: ${errorMessage(err)}`)));
      if (c.indexed + c.reused === 0) return;
      this.albums().then((a) => a.retag(opts.signal)).catch((err: unknown) => events.onError?.(new Error(`could not tag new photos: ${errorMessage(err)}`)));
    };
    await watchLibrary({ roots: this.library.roots(), indexer, store, signal: opts.signal, events: { ...events, onApplied } });
  }

  async search(text: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#read(({ embedder, store }) => searchText(store, embedder, this.library.thumbsDir, text, opts));
  }

  /** Readies the text encoder for a search the user is about to type (see Embedder.warm). */
  async prepareSearch(): Promise<void> {
    await this.#read(({ embedder }) => embedder.warm());
  }

  /** More like the photo at this path (as given, or with symlinks resolved). */
  async similar(path: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#read(async ({ store }) => {
      const photo = (await store.byPath(path)) ?? (await store.byPath(await realpath(path).catch(() => path)));
      if (!photo) throw new ShoeboxError('NOT_FOUND', `${path} is not in the library (add its folder and run index first)`);
      return searchSimilar(store, this.library.thumbsDir, photo, opts);
    });
  }

  async similarTo(id: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#read(async ({ store }) => {
      const photo = await store.byId(id);
      if (!photo) throw new ShoeboxError('NOT_FOUND', `no photo with id ${id}`);
      return searchSimilar(store, this.library.thumbsDir, photo, opts);
    });
  }

  async photo(id: string): Promise<PhotoMeta | null> {
    return this.#read(({ store }) => store.metaById(id));
  }

  async listPhotos(offset: number, limit: number, filters?: SearchFilters): Promise<{ total: number; items: SearchHit[] }> {
    return this.#read(({ store }) => listByDate(store, this.library.thumbsDir, offset, limit, filters));
  }

  thumbFile(hash: string): string {
    return thumbPath(this.library.thumbsDir, hash);
  }

  /** Files that could not be indexed, with their reasons, without the rest of a status read. */
  async failures(): Promise<FailureRow[]> {
    return this.#read(({ store }) => store.listFailures());
  }

  /** Photos the model answering searches holds: what every change notice reports, without reading the failures. */
  async photoCount(): Promise<number> {
    return this.#read(({ store }) => store.count());
  }

  /** Counts come from the model answering searches; `model` is the library's model. */
  async status(): Promise<LibraryStatus> {
    const { model, embedder } = await this.#load();
    return this.#read(({ store }) => this.#statusOf(store, model, embedder));
  }

  async #statusOf(store: PhotoStore, model: ModelFolder, embedder: Embedder): Promise<LibraryStatus> {
    const failures = await store.listFailures();
    const roots: RootStatus[] = [];
    for (const path of this.library.roots()) {
      roots.push({ path, online: await isDirectory(path), photos: await store.count(`root = ${sqlString(path)}`), failed: failures.filter((f) => f.root === path).length });
    }
    const { dim, inputSize, contextLength, provider, fallbacks } = embedder.info;
    return {
      library: this.library.dir,
      roots,
      photos: await store.count(),
      failed: failures.length,
      failures,
      model: { id: model.id, dir: model.dir, dim, inputSize, contextLength, provider, fallbacks },
    };
  }

  async close(): Promise<void> {
    await (await this.#albums?.catch(() => null))?.close();
    const loaded = await this.#loaded?.catch(() => null);
    if (loaded) await this.#retire(loaded);
    if (this.#previous) await this.#retire(this.#previous);
    this.#previous = null;
    await this.library.close();
  }
}
