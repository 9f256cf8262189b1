import { realpath, stat } from 'node:fs/promises';
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
import type { ModelFolder } from './model/model-folder.ts';
import { listByDate, searchSimilar, searchText } from './search/search.ts';
import type { SearchFilters, SearchHit, SearchOptions } from './search/search.ts';
import { thumbPath } from './index/thumbs.ts';
import { PhotoStore } from './store/photo-store.ts';
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
}

interface Loaded {
  model: ModelFolder;
  embedder: Embedder;
  store: PhotoStore;
}

/**
 * The one engine API every front end calls (CLI, Electron main, local web server). Opened for
 * reading (search, status: no lock, never waits) or for writing (add, remove, index, watch).
 */
export class Engine {
  readonly library: Library;
  readonly #opts: EngineOptions;
  #loaded: Promise<Loaded> | null = null;
  #albums: Promise<Albums> | null = null;

  private constructor(library: Library, opts: EngineOptions) {
    this.library = library;
    this.#opts = opts;
  }

  static async open(opts: EngineOptions, mode: { write: boolean; command?: string }): Promise<Engine> {
    const library = await Library.open(opts.libraryDir, mode.write ? { write: true, command: mode.command ?? 'shoebox' } : { write: false });
    return new Engine(library, opts);
  }

  /** Opens the model (worker thread) and its table on first use. */
  async #load(): Promise<Loaded> {
    this.#loaded ??= (async () => {
      const dir = this.#opts.modelDir ?? this.library.settings.modelDir;
      if (dir === undefined) {
        throw new ShoeboxError('MODEL_MISSING', `no CLIP model set up: ${MODEL_SETUP_HINT}`);
      }
      const model = await openModelFolder(dir);
      const device = this.#opts.device ?? this.library.settings.device ?? 'auto';
      const embedder = await Embedder.start(model, { providers: this.#opts.providers ?? providersFor(device), ...(this.#opts.threads ? { threads: this.#opts.threads } : {}) });
      try {
        const store = await PhotoStore.open(this.library.dbDir, model.id, embedder.info.dim);
        if (this.library.writable && (this.library.settings.modelDir !== model.dir || (this.#opts.device && this.library.settings.device !== this.#opts.device))) {
          await this.library.update((s) => ({ ...s, modelDir: model.dir, ...(this.#opts.device ? { device: this.#opts.device } : {}) }));
        }
        return { model, embedder, store };
      } catch (err) {
        await embedder.close();
        throw err;
      }
    })();
    return this.#loaded;
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
    });
    return { indexer, store };
  }

  async index(opts: RunOptions = {}): Promise<IndexSummary> {
    const { indexer, store } = await this.#indexer(opts);
    const summary = await indexer.run(this.library.roots(), opts.signal);
    await store.maintain();
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
      if (c.indexed + c.reused === 0) return;
      this.albums().then((a) => a.retag(opts.signal)).catch((err: unknown) => events.onError?.(new Error(`could not tag new photos: ${errorMessage(err)}`)));
    };
    await watchLibrary({ roots: this.library.roots(), indexer, store, signal: opts.signal, events: { ...events, onApplied } });
  }

  async search(text: string, opts?: SearchOptions): Promise<SearchHit[]> {
    const { embedder, store } = await this.#load();
    return searchText(store, embedder, this.library.thumbsDir, text, opts);
  }

  /** More like the photo at this path (as given, or with symlinks resolved). */
  async similar(path: string, opts?: SearchOptions): Promise<SearchHit[]> {
    const { store } = await this.#load();
    const photo = (await store.byPath(path)) ?? (await store.byPath(await realpath(path).catch(() => path)));
    if (!photo) throw new ShoeboxError('NOT_FOUND', `${path} is not in the library (add its folder and run index first)`);
    return searchSimilar(store, this.library.thumbsDir, photo, opts);
  }

  async similarTo(id: string, opts?: SearchOptions): Promise<SearchHit[]> {
    const { store } = await this.#load();
    const photo = await store.byId(id);
    if (!photo) throw new ShoeboxError('NOT_FOUND', `no photo with id ${id}`);
    return searchSimilar(store, this.library.thumbsDir, photo, opts);
  }

  async photo(id: string): Promise<PhotoMeta | null> {
    const { store } = await this.#load();
    return store.metaById(id);
  }

  async listPhotos(offset: number, limit: number, filters?: SearchFilters): Promise<{ total: number; items: SearchHit[] }> {
    const { store } = await this.#load();
    return listByDate(store, this.library.thumbsDir, offset, limit, filters);
  }

  thumbFile(hash: string): string {
    return thumbPath(this.library.thumbsDir, hash);
  }

  async status(): Promise<LibraryStatus> {
    const { model, embedder, store } = await this.#load();
    const failures = await store.listFailures();
    const roots: RootStatus[] = [];
    for (const path of this.library.roots()) {
      const online = (await stat(path).catch(() => null))?.isDirectory() ?? false;
      roots.push({ path, online, photos: await store.count(`root = '${path.replace(/'/g, "''")}'`), failed: failures.filter((f) => f.root === path).length });
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
    if (loaded) {
      loaded.store.close();
      await loaded.embedder.close();
    }
    await this.library.close();
  }
}
