import { Embedder } from '../embed/embedder.ts';
import type { EmbedderOptions } from '../embed/embedder.ts';
import { providersFor } from '../embed/providers.ts';
import type { Device } from '../embed/providers.ts';
import { ShoeboxError } from '../errors.ts';
import type { IndexSummary } from '../index/index-types.ts';
import type { Library } from '../library/library.ts';
import { openModelFolder } from '../model/model-folder.ts';
import type { ModelFolder } from '../model/model-folder.ts';
import { MODEL_SETUP_HINT } from '../model-store/model-store.ts';
import { PhotoStore } from '../store/photo-store.ts';
import { ReadLeases } from './read-leases.ts';

export interface ActiveModelOptions extends EmbedderOptions {
  /** Force an execution provider (remembered by the library); default: the library's, else auto. */
  device?: Device;
  /** A model folder; when absent, the one this library last used. */
  modelDir?: string;
  /**
   * Holds an indexed library's vectors in memory from its first search, or the search field's
   * focus (row-vectors.ts), for the app, which searches again and again; a one-shot command
   * would only pay for reading them.
   */
  holdVectors?: boolean;
}

/** A model by the id its vectors are stored under and the folder it was opened from. */
export interface ModelRef {
  id: string;
  dir: string;
}

/** An opened model: its folder, the inference process that runs it, and the table of its vectors. */
export interface LoadedModel {
  model: ModelFolder;
  embedder: Embedder;
  store: PhotoStore;
  reads: ReadLeases;
}

function refOf(l: LoadedModel | null): ModelRef | null {
  return l ? { id: l.model.id, dir: l.model.dir } : null;
}

/**
 * Which model a library works with, and the switch from one to another: the current model is
 * the one indexing writes with; after a switch the previous one keeps answering reads until the
 * current one's table has caught up, then it is closed once its last read has finished.
 */
export class ActiveModel {
  readonly #library: Library;
  readonly #opts: ActiveModelOptions;
  #current: Promise<LoadedModel> | null = null;
  #previous: LoadedModel | null = null;
  /** Set by a switch; wins over the options' and library.json's model folder. */
  #modelDir: string | undefined;

  constructor(library: Library, opts: ActiveModelOptions) {
    this.#library = library;
    this.#opts = opts;
  }

  /** The current model, opened (inference process and table) on first use. */
  current(): Promise<LoadedModel> {
    this.#current ??= (async () => {
      const dir = this.#modelDir ?? this.#opts.modelDir ?? this.#library.settings.modelDir;
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
    return this.#current;
  }

  /**
   * Runs a read on the model that answers searches: the previous one while the current one's
   * table is still being filled after a switch, so a search never sees a half-filled table, and
   * every read uses exactly one model's table and text encoder.
   */
  async read<T>(fn: (l: LoadedModel) => Promise<T>): Promise<T> {
    const current = await this.current();
    const l = this.#previous ?? current;
    return l.reads.run(() => fn(l));
  }

  /** The model photos are indexed with, and the one still answering reads while it catches up. */
  async refs(): Promise<{ current: ModelRef | null; previous: ModelRef | null }> {
    return { current: refOf((await this.#current?.catch(() => null)) ?? null), previous: refOf(this.#previous) };
  }

  /**
   * Makes `model` the library's model (recorded in library.json). Its table fills as the library
   * is indexed; until it has caught up, reads keep using the model that answered before.
   */
  async switchTo(model: ModelFolder): Promise<ModelRef> {
    const current = (await this.#current?.catch(() => null)) ?? null;
    if (current?.model.id === model.id) {
      // The same weights from another folder: the same table, nothing to re-embed.
      this.#current = Promise.resolve({ ...current, model });
    } else if (this.#previous?.model.id === model.id) {
      // Back to the model still answering, before the other one caught up: it is whole already.
      const back = this.#previous;
      this.#previous = null;
      this.#current = Promise.resolve({ ...back, model });
      if (current) await this.#retire(current);
    } else {
      const next = await this.#open(model);
      const answering = this.#previous ?? current;
      // A model that never caught up has never answered a read: it can go at once.
      if (this.#previous && current) await this.#retire(current);
      this.#previous = answering;
      this.#current = Promise.resolve(next);
    }
    this.#modelDir = model.dir;
    await this.#remember(model.dir);
    return { id: model.id, dir: model.dir };
  }

  /**
   * Retires the previous model once the current one's table has caught up: a full index of
   * every root finished (`run`), or the table holds at least as many photos as the previous
   * one's. Returns the model retired, if one was.
   */
  async catchUp(run?: IndexSummary): Promise<ModelRef | null> {
    const previous = this.#previous;
    if (!previous) return null;
    const current = await this.current();
    const complete = run !== undefined && !run.interrupted && run.offline.length === 0;
    if (!complete && (await current.store.count()) < (await previous.store.count())) return null;
    if (this.#previous !== previous) return null;
    this.#previous = null;
    await this.#retire(previous);
    return refOf(previous);
  }

  /** Reads of the open tables see a change made through another connection (a root removed). */
  async refresh(): Promise<void> {
    const current = await this.#current?.catch(() => null);
    for (const l of [current, this.#previous]) if (l) await l.store.refresh();
  }

  async close(): Promise<void> {
    const current = await this.#current?.catch(() => null);
    if (current) await this.#retire(current);
    if (this.#previous) await this.#retire(this.#previous);
    this.#previous = null;
  }

  async #open(model: ModelFolder): Promise<LoadedModel> {
    const device = this.#opts.device ?? this.#library.settings.device ?? 'auto';
    const { releaseImagesAfterMs, exitWhenIdleMs, spawn, onProviderChange } = this.#opts;
    const threads = this.#opts.threads || undefined;
    const providers = this.#opts.providers ?? providersFor(device);
    const embedder = await Embedder.start(model, {
      providers,
      threads,
      releaseImagesAfterMs,
      exitWhenIdleMs,
      spawn,
      onProviderChange,
    });
    try {
      const store = await PhotoStore.open(this.#library.dbDir, model.id, embedder.info.dim, {
        holdVectors: this.#opts.holdVectors,
      });
      return { model, embedder, store, reads: new ReadLeases() };
    } catch (err) {
      await embedder.close();
      throw err;
    }
  }

  /**
   * Records the model folder the options name (`--model DIR`) as the library's, once it is known
   * to be a model folder, without opening it: so `shoebox --model DIR add ~/Pictures` leaves a
   * library that the next `shoebox index` indexes with that model.
   */
  async adoptGiven(): Promise<void> {
    if (!this.#library.writable || this.#opts.modelDir === undefined) return;
    await this.#remember((await openModelFolder(this.#opts.modelDir)).dir);
  }

  /** Records the model folder (and a forced device) in library.json, when opened for writing. */
  async #remember(dir: string): Promise<void> {
    const device = this.#opts.device;
    if (!this.#library.writable) return;
    if (this.#library.settings.modelDir === dir && (!device || this.#library.settings.device === device)) return;
    await this.#library.update((s) => ({ ...s, modelDir: dir, device: device ?? s.device }));
  }

  /** Closes a model once the reads that picked it have finished. */
  async #retire(l: LoadedModel): Promise<void> {
    await l.reads.drained();
    l.store.close();
    await l.embedder.close();
  }
}
