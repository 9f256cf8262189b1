// The running app's models: what the catalogue offers and what is installed, one background
// download at a time (its progress pushed as model.state), switching and removing. Switching
// goes through the engine, never ModelStore.useModel: that opens the library for writing, and
// the app already holds its writer lock.
import { basename } from 'node:path';
import type { Dispatcher } from 'undici';
import type { Engine } from '../core/engine/engine.ts';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import { openModelFolder } from '../core/model/model-folder.ts';
import { entrySize } from '../core/model-store/catalog.ts';
import { ModelDownloadError } from '../core/model-store/download-errors.ts';
import { ModelStore } from '../core/model-store/model-store.ts';
import type { InstallProgress, ModelListing } from '../core/model-store/model-store.ts';
import type { ModelDownload, ModelEntry } from '../../shared/types.ts';

export interface ModelManagerOptions {
  libraryDir: string;
  /** Default: $SHOEBOX_MODEL_CATALOG, else the bundled catalogue. */
  catalogPath?: string;
  /** Default: the proxy settings of the environment. */
  dispatcher?: Dispatcher;
  /** The system language, which picks the model offered first (default: the locale variables). */
  language?: string;
}

/** What the manager needs from the service that owns it. */
export interface ModelManagerOwner {
  /** Whether the library has a working model; a first install becomes the library's model. */
  hasModel(): boolean;
  /** Makes an installed model folder the library's model, re-indexing in the background. */
  switchTo(dir: string): Promise<void>;
  /** Download progress, a failure, or null once there is none. */
  onDownloadChanged(download: ModelDownload | null): void;
}

interface Running {
  id: string;
  abort: AbortController;
  state: ModelDownload;
  done: Promise<void>;
}

function toEntry(m: ModelListing, answeringDir: string | null, downloading: string | null): ModelEntry {
  return {
    id: m.id,
    name: m.name,
    source: m.source,
    installed: m.installed,
    inUse: m.inUse,
    answering: m.dir !== null && m.dir === answeringDir,
    isDefault: m.isDefault,
    downloading: m.id === downloading,
    bytes: m.bytes,
    approximate: m.approximate,
    partialBytes: m.downloaded,
    languages: m.languages,
    note: m.note,
  };
}

function folderEntry(dir: string): ModelEntry {
  return {
    id: basename(dir),
    name: `Model folder “${basename(dir)}”`,
    source: 'folder',
    installed: true,
    inUse: true,
    answering: false,
    isDefault: false,
    downloading: false,
    bytes: null,
    approximate: false,
    partialBytes: 0,
    languages: [],
    note: dir,
  };
}

export class ModelManager {
  readonly #engine: Engine;
  readonly #owner: ModelManagerOwner;
  readonly #opts: ModelManagerOptions;
  #store: Promise<ModelStore> | null = null;
  #running: Running | null = null;
  #failed: ModelDownload | null = null;

  constructor(engine: Engine, owner: ModelManagerOwner, opts: ModelManagerOptions) {
    this.#engine = engine;
    this.#owner = owner;
    this.#opts = opts;
  }

  /** Opened on first use, so a broken catalogue only affects the model calls. */
  async #models(): Promise<ModelStore> {
    this.#store ??= ModelStore.open(this.#opts);
    // A failed open is not cached: a catalogue fixed meanwhile is read on the next call.
    return this.#store.catch((err: unknown) => {
      this.#store = null;
      throw err;
    });
  }

  /** The running download, else the last failed one, for ModelState. */
  download(): ModelDownload | null {
    return this.#running?.state ?? this.#failed;
  }

  async list(): Promise<ModelEntry[]> {
    const store = await this.#models();
    const { previous } = await this.#engine.models();
    const list = await store.listModels();
    const entries = list.models.map((m) => toEntry(m, previous?.dir ?? null, this.#running?.id ?? null));
    // A folder given with --model is the library's model too, though not one of its own.
    if (list.current !== null && !entries.some((e) => e.inUse)) entries.unshift(folderEntry(list.current));
    return entries;
  }

  /** Starts a download in the background and answers at once; a second one is refused. */
  async install(id: string): Promise<ModelEntry[]> {
    const store = await this.#models();
    const entry = store.entry(id);
    if (this.#running && this.#running.id !== id) {
      throw new ShoeboxError(
        'BAD_REQUEST',
        `${this.#running.state.name} is downloading: wait for it to finish or stop it first`,
      );
    }
    if (!this.#running) {
      const state: ModelDownload = {
        id,
        name: entry.name,
        phase: 'downloading',
        bytes: 0,
        total: entrySize(entry),
        estimate: false,
        rate: 0,
        etaSeconds: null,
        file: entry.files[0]?.path ?? '',
        error: null,
        offline: false,
      };
      const running: Running = { id, abort: new AbortController(), state, done: Promise.resolve() };
      this.#running = running;
      this.#failed = null;
      this.#owner.onDownloadChanged(state);
      running.done = this.#download(store, running);
    }
    return this.list();
  }

  /** Never rejects: it runs in the background, and its outcome goes out as model.state. */
  async #download(store: ModelStore, running: Running): Promise<void> {
    const signal = running.abort.signal;
    let dir: string;
    try {
      dir = (await store.installModel(running.id, { signal, onProgress: (p) => this.#progress(running, p) })).dir;
    } catch (err) {
      this.#running = null;
      // Stopped on purpose (cancel, or the app closing): what arrived is kept for a resume.
      this.#failed = signal.aborted
        ? null
        : {
            ...running.state,
            phase: 'failed',
            rate: 0,
            etaSeconds: null,
            error: errorMessage(err),
            offline: err instanceof ModelDownloadError && err.failure === 'unreachable',
          };
      this.#owner.onDownloadChanged(this.#failed);
      return;
    }
    this.#running = null;
    this.#owner.onDownloadChanged(null);
    // A first model becomes the library's at once, so indexing starts without another click.
    if (!this.#owner.hasModel() && !signal.aborted) await this.#owner.switchTo(dir).catch(() => undefined);
  }

  #progress(running: Running, progress: InstallProgress): void {
    if (this.#running !== running) return;
    running.state = {
      ...running.state,
      phase: progress.phase === 'verified' ? 'downloading' : progress.phase,
      bytes: progress.bytes,
      total: progress.totalBytes,
      estimate: progress.totalIsEstimate,
      rate: progress.rate,
      etaSeconds: progress.etaSeconds,
      file: progress.file,
    };
    this.#owner.onDownloadChanged(running.state);
  }

  async cancel(): Promise<ModelEntry[]> {
    const running = this.#running;
    if (running) {
      running.abort.abort();
      await running.done;
    }
    return this.list();
  }

  async #installed(id: string): Promise<ModelListing> {
    const listing = (await (await this.#models()).listModels()).models.find((m) => m.id === id);
    if (!listing) throw new ShoeboxError('NOT_FOUND', `there is no model "${id}"`);
    return listing;
  }

  async use(id: string): Promise<ModelEntry[]> {
    const listing = await this.#installed(id);
    if (!listing.installed || listing.dir === null)
      throw new ShoeboxError('NOT_FOUND', `${listing.name} is not installed: download it first`);
    if (!listing.inUse) await this.#owner.switchTo(listing.dir);
    return this.list();
  }

  /** Deletes the model's files, then its vectors; never the model in use or the one answering. */
  async remove(id: string): Promise<ModelEntry[]> {
    if (this.#running?.id === id)
      throw new ShoeboxError('BAD_REQUEST', `${this.#running.state.name} is downloading: stop the download first`);
    const listing = await this.#installed(id);
    if (listing.inUse)
      throw new ShoeboxError(
        'BAD_REQUEST',
        `${listing.name} is the model this library uses: use another model first, then remove this one`,
      );
    const { current, previous } = await this.#engine.models();
    if (listing.dir !== null && listing.dir === previous?.dir) {
      throw new ShoeboxError(
        'BAD_REQUEST',
        `${listing.name} still answers searches while your photos are indexed for the new model: remove it once that has finished`,
      );
    }
    // The table is named by the weights' id, which only the folder itself can tell.
    const vectorsId =
      listing.dir !== null ? ((await openModelFolder(listing.dir).catch(() => null))?.id ?? null) : null;
    await (await this.#models()).removeModel(id);
    // Another folder with the same weights may be in use: its vectors are the same table.
    if (vectorsId !== null && vectorsId !== current?.id && vectorsId !== previous?.id)
      await this.#engine.removeModelVectors(vectorsId);
    if (this.#failed?.id === id) {
      this.#failed = null;
      this.#owner.onDownloadChanged(null);
    }
    return this.list();
  }

  /** Stops a running download (it resumes on the next install) and waits for it to wind down. */
  async close(): Promise<void> {
    const running = this.#running;
    running?.abort.abort();
    await running?.done;
  }
}
