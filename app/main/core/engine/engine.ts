import { readFile, realpath } from 'node:fs/promises';
import { Albums } from '../albums/albums.ts';
import { BROWSER_FORMATS } from '../decode/decode-photo.ts';
import { DecodeClient, localDecoder } from '../decode/decoder.ts';
import type { Decoder, SpawnDecoder } from '../decode/decoder.ts';
import type { EmbedderInfo } from '../embed/embed-protocol.ts';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { displayCopy } from '../index/display-copies.ts';
import { Indexer } from '../index/indexer.ts';
import { fillPlaces } from '../index/place-backfill.ts';
import type { People } from '../albums/people/people.ts';
import { readPhotos } from '../index/photo-reading.ts';
import type { PhotoReadingSummary } from '../index/photo-reading.ts';
import { READ_EDGE } from '../index/text-stage.ts';
import type { ModelLease } from '../index/text-stage.ts';
import type { IndexCounts, IndexProgress, IndexSummary } from '../index/index-types.ts';
import type { PauseGate } from '../index/pause-gate.ts';
import { momentThumbFile } from '../decode/derive.ts';
import { thumbPath } from '../index/thumbs.ts';
import { watchLibrary } from '../index/watch-library.ts';
import type { WatchEvents } from '../index/watch-library.ts';
import { Library } from '../library/library.ts';
import { openModelFolder } from '../model/model-folder.ts';
import { timeline } from '../browse/timeline.ts';
import type { Timeline } from '../browse/timeline.ts';
import { mapPoints } from '../browse/map-points.ts';
import type { MapPoint } from '../browse/map-points.ts';
import { listByDate, searchSimilar, searchText } from '../search/search.ts';
import { searchQuery } from '../search/query-search.ts';
import type { QueryOptions, QueryResult } from '../search/query-search.ts';
import type { SearchFilters, SearchHit, SearchOptions } from '../search/search.ts';
import type { TextLine } from '../embed/text-reader.ts';
import type { FailureRow, MemberRow, PhotoMeta } from '../store/photo-schema.ts';
import { deleteRootEverywhere, dropModelTables } from '../store/library-tables.ts';
import { PhotoStore } from '../store/photo-store.ts';
import type { TextLineRow } from '../store/text-table.ts';
import type { TextLanguageEntry } from '../../../shared/types.ts';
import { ActiveModel } from './active-model.ts';
import { libraryStatus } from './library-status.ts';
import type { LibraryStatus } from './library-status.ts';
import { membersOf, motionOf } from './motion.ts';
import type { MotionFile } from './motion.ts';
import type { ActiveModelOptions, ModelRef } from './active-model.ts';
import {
  BUILT_IN,
  chooseTextLanguage,
  libraryRecogniser,
  libraryTextLanguage,
  listTextLanguages,
  removeTextLanguage,
} from '../model-store/text-languages.ts';

export type { ModelRef } from './active-model.ts';
export type { LibraryStatus } from './library-status.ts';

export interface EngineOptions extends ActiveModelOptions {
  libraryDir: string;
  /**
   * Starts the process untrusted files are decoded in (default a Node fork; the app passes an
   * Electron utility process). `false` decodes in this process: for tools that want no helper.
   */
  spawnDecoder?: SpawnDecoder | false;
  batchSize?: number;
  /** Photos decoded at once while indexing; default the cores + 2. */
  decodeConcurrency?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  gate?: PauseGate;
  /** After a model switch: the new model's table has caught up, and `previous` was closed. */
  onCaughtUp?: (previous: ModelRef) => void;
  /** Leave reading the text in photos to the caller (watch reads it beside the watching). */
  textsLater?: boolean;
}

/**
 * The one engine API every front end calls (CLI, Electron main, local web server). Opened for
 * reading (search, status: no lock, never waits) or for writing (add, remove, index, watch).
 */
export class Engine {
  readonly library: Library;
  readonly #opts: EngineOptions;
  readonly #models: ActiveModel;
  #albums: Promise<Albums> | null = null;
  readonly #decoder: Decoder;

  private constructor(library: Library, opts: EngineOptions) {
    this.library = library;
    this.#opts = opts;
    this.#decoder = opts.spawnDecoder === false ? localDecoder : new DecodeClient(opts.spawnDecoder);
    this.#models = new ActiveModel(library, opts);
  }

  static async open(opts: EngineOptions, mode: { write: boolean; command?: string }): Promise<Engine> {
    const library = await Library.open(
      opts.libraryDir,
      mode.write ? { write: true, command: mode.command ?? 'shoebox' } : { write: false },
    );
    const engine = new Engine(library, opts);
    try {
      await engine.#models.adoptGiven();
    } catch (err) {
      await library.close();
      throw err;
    }
    return engine;
  }

  /** The model photos are indexed with, and the one still answering reads while it catches up. */
  models(): Promise<{ current: ModelRef | null; previous: ModelRef | null }> {
    return this.#models.refs();
  }

  /**
   * Makes the model folder at `dir` the library's model (recorded in library.json). Its table
   * fills as the library is indexed (the caller runs index or watch); until it has caught up,
   * reads keep using the model that answered before. Stop any index or watch on this engine
   * first: the model it writes with may be closed here.
   */
  async switchModel(dir: string): Promise<ModelRef> {
    const model = await openModelFolder(dir);
    await this.#dropAlbums();
    return this.#models.switchTo(model);
  }

  async #catchUp(opts: RunOptions, run?: IndexSummary): Promise<void> {
    const retired = await this.#models.catchUp(run);
    if (retired) opts.onCaughtUp?.(retired);
  }

  /** Drops a model's photos table and so its vectors; never the current or previous model's. */
  async removeModelVectors(modelId: string): Promise<boolean> {
    if (!this.library.writable) throw new ShoeboxError('INTERNAL', 'library opened read-only');
    const { current, previous } = await this.models();
    if (current?.id === modelId || previous?.id === modelId) {
      throw new ShoeboxError('BAD_REQUEST', `the vectors of ${modelId} are in use: switch to another model first`);
    }
    return Engine.forgetModelVectors(this.library, modelId);
  }

  /** Drops the vectors and tag scores computed with `vectorsId`'s weights; whether a vector table was there. */
  static async forgetModelVectors(library: Library, vectorsId: string): Promise<boolean> {
    const dropped = await dropModelTables(library.dbDir, vectorsId);
    await Albums.forgetModel(library, vectorsId);
    return dropped;
  }

  async #dropAlbums(): Promise<void> {
    const albums = await this.#albums?.catch(() => null);
    this.#albums = null;
    await albums?.close();
  }

  /** Albums, tags and marks over this library and model; read-only unless opened for writing. */
  async albums(): Promise<Albums> {
    this.#albums ??= (async () => {
      const { embedder, store } = await this.#models.current();
      return Albums.open({ embedder, store }, this.library, { writable: this.library.writable });
    })();
    return this.#albums;
  }

  /** The people in the photos: grouped faces, the user's names and corrections. */
  async people(): Promise<People> {
    return (await this.albums()).people();
  }

  /** A person's photos, newest first. */
  async personPhotos(id: string, offset: number, limit: number): Promise<{ total: number; items: SearchHit[] }> {
    const hashes = await (await this.people()).hashesOf(id);
    return this.listPhotos(offset, limit, { hashes });
  }

  /** The id of one item holding each content, for showing a content (a person's cover) by id. */
  async idsOfHashes(hashes: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.#models.read(({ store }) => store.idsOfHashes(hashes, ''));
    return new Map(rows.map((r) => [r.hash, r.id]));
  }

  /**
   * Turns face recognition on or off. Off deletes every face found and every name and correction
   * (nothing about faces is kept); on finds faces again at the next index.
   */
  async setFaceRecognition(on: boolean): Promise<void> {
    await this.library.update((s) => ({ ...s, faces: on }));
    if (on) return;
    await this.#models.read(({ store }) => store.faces.clear());
    await (await this.people()).forget();
  }

  async modelInfo(): Promise<EmbedderInfo & { id: string }> {
    const { embedder } = await this.#models.current();
    return { ...embedder.info, id: embedder.modelId };
  }

  async addRoot(folder: string): Promise<string> {
    return (await this.library.addRoot(folder)).path;
  }

  /** Deletes the root's entries (never files) from every model's table, then forgets the root. */
  async removeRoot(folder: string): Promise<{ root: string; removed: number }> {
    const root = await this.library.findRoot(folder);
    const removed = await deleteRootEverywhere(this.library.dbDir, root);
    await this.#models.refresh();
    await this.library.removeRoot(root);
    return { root, removed };
  }

  async #indexer(opts: RunOptions): Promise<{ indexer: Indexer; store: PhotoStore }> {
    const { model, embedder, store } = await this.#models.current();
    // A run starts from what another process committed last, though searches may lag it a moment.
    await store.refresh();
    const indexer = new Indexer({
      store,
      embedder,
      preprocess: model.preprocess,
      thumbsDir: this.library.thumbsDir,
      decoder: this.#decoder,
      roots: () => this.library.roots(),
      onProgress: opts.onProgress,
      gate: opts.gate,
      // 0 (or NaN) means the default, as no value does.
      batchSize: this.#opts.batchSize || undefined,
      decodeConcurrency: this.#opts.decodeConcurrency || undefined,
    });
    return { indexer, store };
  }

  async index(opts: RunOptions = {}): Promise<IndexSummary> {
    const { indexer, store } = await this.#indexer(opts);
    const summary = await indexer.run(this.library.roots(), opts.signal);
    if (this.library.writable) await fillPlaces(store);
    if (this.library.writable && !summary.interrupted && opts.textsLater !== true) await this.#readPhotos(opts.signal);
    await store.maintain();
    await this.#catchUp(opts, summary);
    // Tagging reuses the stored vectors (no image inference) and only does photos it has not seen.
    if (!summary.interrupted && this.library.writable) await (await this.albums()).retag(opts.signal);
    return summary;
  }

  /**
   * Reads the text in photos not read yet and, unless face recognition is off, finds the faces in
   * photos not looked at yet: one decode of each thumbnail for both (photo-reading.ts).
   */
  async #readPhotos(signal?: AbortSignal): Promise<PhotoReadingSummary> {
    const lease: ModelLease = (fn) => this.#models.read(({ embedder, store }) => fn({ embedder, store }));
    return readPhotos({
      lease,
      thumbsDir: this.library.thumbsDir,
      roots: this.library.roots(),
      decoder: this.#decoder,
      faces: this.library.settings.faces !== false,
      recogniser: await libraryRecogniser(this.library),
      signal,
    });
  }

  /** The scripts text can be read in, and the library's choice. */
  async textLanguages(): Promise<TextLanguageEntry[]> {
    return listTextLanguages(this.library.dir, undefined, this.library.settings.textLanguage);
  }

  /** Reads text with `id`'s recogniser from the next index on (downloading it first), or the built-in one. */
  async setTextLanguage(id: string, signal?: AbortSignal): Promise<void> {
    await chooseTextLanguage(this.library, id, { signal });
  }

  /** Deletes a downloaded recogniser the library does not read with. */
  async removeTextLanguage(id: string): Promise<void> {
    await removeTextLanguage(this.library, id);
  }

  /**
   * Watches the roots, indexes them, then keeps the index current until the signal aborts. Text
   * in photos is read beside the watching, not before it: a new photo is found by its picture at
   * once, by its text after.
   */
  async watch(opts: RunOptions & { signal: AbortSignal; events?: WatchEvents }): Promise<void> {
    const { indexer, store } = await this.#indexer(opts);
    const events = opts.events ?? {};
    // One run of text and faces at a time; changes that come in meanwhile ask for one more after it.
    const texts: { reading: Promise<void> | null; again: boolean } = { reading: null, again: false };
    const readTextsSoon = (): void => {
      if (texts.reading) {
        texts.again = true;
        return;
      }
      texts.reading = this.#readPhotos(opts.signal)
        .then(({ text, faces }) => {
          if (text.withText > 0) events.onTextRead?.(text);
          if (faces.faces > 0) events.onFacesFound?.(faces);
        })
        .catch((err: unknown) =>
          events.onError?.(new Error(`could not read text or find faces in photos: ${errorMessage(err)}`)),
        )
        .finally(() => {
          texts.reading = null;
          if (texts.again && !opts.signal.aborted) {
            texts.again = false;
            readTextsSoon();
          }
        });
    };
    // Photos the watcher brings in are tagged too, once each batch of changes is applied.
    const onApplied = (c: IndexCounts): void => {
      events.onApplied?.(c);
      this.#catchUp(opts).catch((err: unknown) =>
        events.onError?.(new Error(`could not finish the switch of models: ${errorMessage(err)}`)),
      );
      if (c.indexed + c.reused === 0) return;
      readTextsSoon();
      this.albums()
        .then((a) => a.retag(opts.signal))
        .catch((err: unknown) => events.onError?.(new Error(`could not tag new photos: ${errorMessage(err)}`)));
    };
    await watchLibrary({
      roots: this.library.roots(),
      indexer,
      store,
      signal: opts.signal,
      events: { ...events, onApplied },
      // The first index runs once the folders are watched, so nothing added meanwhile is missed.
      first: async () => {
        const first = await this.index({ ...opts, textsLater: true });
        events.onIndexed?.(first);
        if (!opts.signal.aborted) readTextsSoon();
      },
    });
    // Stopped: a text run still going ends at its next photo (it watches the signal).
    while (texts.reading) await texts.reading;
  }

  /** The plain ranking of every photo by the text as typed (no parsing, no cut): see query. */
  async search(text: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#models.read(({ embedder, store }) => searchText(store, embedder, this.library.thumbsDir, text, opts));
  }

  /** A search as the search box means it: parsed into filters and words, cut to what matches. */
  async query(text: string, opts?: QueryOptions): Promise<QueryResult> {
    // The user's albums, so "Trip beach" searches the album Trip for a beach; tags for "#beach".
    const lookups = await this.albums();
    const [albums, tags, people] = await Promise.all([
      lookups.userAlbumLookup(),
      lookups.tagLookup(),
      lookups.people().lookup(),
    ]);
    return this.#models.read(({ embedder, store }) =>
      searchQuery(store, embedder, this.library.thumbsDir, text, { albums, tags, people, ...opts }),
    );
  }

  /**
   * Readies a search the user is about to type: the text encoder (see Embedder.warm) and, where
   * the store holds them, the vectors in memory. Their read is not waited for: at 100,000 photos
   * it takes seconds, and a search typed meanwhile goes to LanceDB's re-ranking as before.
   */
  async prepareSearch(): Promise<void> {
    await this.#models.read(({ embedder, store }) => {
      // A failed read is retried by the next search, which reports what persists.
      store.prepareHeld().catch(() => undefined);
      return embedder.warm();
    });
  }

  /** More like the photo at this path (as given, or with symlinks resolved). */
  async similar(path: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#models.read(async ({ store }) => {
      const photo = (await store.byPath(path)) ?? (await store.byPath(await realpath(path).catch(() => path)));
      if (!photo)
        throw new ShoeboxError('NOT_FOUND', `${path} is not in the library (add its folder and run index first)`);
      return searchSimilar(store, this.library.thumbsDir, photo, opts);
    });
  }

  /** The text read in a photo while indexing (nothing if it has none, or has not been read yet). */
  async textOf(photo: PhotoMeta): Promise<TextLineRow[]> {
    return this.#models.read(({ store }) => store.texts.linesOf(photo.hash));
  }

  /** The text in a photo file, read by the OCR models in the inference process. */
  async readText(path: string): Promise<TextLine[]> {
    const input = await readFile(path).catch((err: unknown) => {
      throw new ShoeboxError('NOT_FOUND', `cannot read ${path}: ${errorMessage(err)}`);
    });
    const image = await this.#decoder.read(input, { fileName: path, maxEdge: READ_EDGE });
    const recogniser = await libraryRecogniser(this.library);
    return this.#models.read(({ embedder }) => embedder.readText(image.rgb, image.width, image.height, recogniser));
  }

  async similarTo(id: string, opts?: SearchOptions): Promise<SearchHit[]> {
    return this.#models.read(async ({ store }) => {
      const photo = await store.byId(id);
      if (!photo) throw new ShoeboxError('NOT_FOUND', `no photo with id ${id}`);
      return searchSimilar(store, this.library.thumbsDir, photo, opts);
    });
  }

  async photo(id: string): Promise<PhotoMeta | null> {
    return this.#models.read(({ store }) => store.metaById(id));
  }

  async listPhotos(
    offset: number,
    limit: number,
    filters?: SearchFilters,
  ): Promise<{ total: number; items: SearchHit[] }> {
    return this.#models.read(({ store }) => listByDate(store, this.library.thumbsDir, offset, limit, filters));
  }

  /** How many items each day holds, newest first, in browsing order. */
  async timeline(filters?: SearchFilters): Promise<Timeline> {
    return this.#models.read(({ store }) => timeline(store, filters));
  }

  /** Every located item, for the map. */
  async mapPoints(filters?: SearchFilters): Promise<MapPoint[]> {
    return this.#models.read(({ store }) => mapPoints(store, filters));
  }

  /** The files that belong to an item besides its own: Live Photo motion, RAW beside JPEG. */
  async members(photo: PhotoMeta): Promise<MemberRow[]> {
    return this.#models.read(({ store }) => membersOf(store, photo));
  }

  /** The movie a Live Photo or motion photo plays; null for anything else. */
  async motion(photo: PhotoMeta): Promise<MotionFile | null> {
    return this.#models.read(({ store }) => motionOf(store, photo));
  }

  /** The file to show for a photo: the original where a browser can show it, else its display copy. */
  async viewableFile(photo: PhotoMeta): Promise<{ path: string; format: string }> {
    // Videos are played as they are: a player streams them with range requests.
    if (BROWSER_FORMATS.has(photo.format) || photo.kind === 'video') return { path: photo.path, format: photo.format };
    return { path: await displayCopy(this.library.displayCopiesDir, photo, this.#decoder), format: 'webp' };
  }

  /** An item's thumbnail, or that of a video's moment kept for the faces in it. */
  thumbFile(hash: string, atMs: number | null = null): string {
    const own = thumbPath(this.library.thumbsDir, hash);
    return atMs === null ? own : momentThumbFile(own, atMs);
  }

  /** Files that could not be indexed, with their reasons, without the rest of a status read. */
  async failures(): Promise<FailureRow[]> {
    return this.#models.read(({ store }) => store.failures.list());
  }

  /** Photos the model answering searches holds: what every change notice reports, without reading the failures. */
  async photoCount(): Promise<number> {
    return this.#models.read(({ store }) => store.count());
  }

  /** Counts come from the model answering searches; `model` is the library's model. */
  async status(): Promise<LibraryStatus> {
    const { model, embedder } = await this.#models.current();
    const textLanguage = (await libraryTextLanguage(this.library))?.id ?? BUILT_IN;
    return this.#models.read(({ store }) =>
      libraryStatus(store, { dir: this.library.dir, roots: this.library.roots() }, model, embedder, textLanguage),
    );
  }

  async close(): Promise<void> {
    await this.#dropAlbums();
    await this.#models.close();
    await this.#decoder.close();
    await this.library.close();
  }
}
