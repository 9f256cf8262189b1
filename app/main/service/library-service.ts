import { PeopleService } from './people-service.ts';
import { Engine } from '../core/engine/engine.ts';
import type { EngineOptions } from '../core/engine/engine.ts';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import type { IndexProgress } from '../core/index/index-types.ts';
import { PauseGate } from '../core/index/pause-gate.ts';
import { isDirectory } from '../core/scan/inside-roots.ts';
import type { SearchFilters } from '../core/search/search.ts';
import type { Events, EventName } from '../../shared/contract.ts';
import type {
  AppStatus,
  FailedFile,
  IndexState,
  MapPoint,
  ModelDownload,
  ModelEntry,
  ModelState,
  PhotoDetails,
  PhotoHit,
  PhotoPage,
  RootStatus,
  SearchResult,
  TextLanguageEntry,
  Timeline,
} from '../../shared/types.ts';
import { AlbumService } from './album-service.ts';
import { idleIndexState, progressState, toPhotoDetails, toPhotoHit } from './dto.ts';
import { openMedia } from './media-files.ts';
import type { MediaKind, OpenMedia } from './media-files.ts';
import { ModelManager } from './model-manager.ts';
import type { ModelManagerOptions } from './model-manager.ts';

export type { MediaKind, OpenMedia } from './media-files.ts';

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

export type ServiceOptions = EngineOptions &
  Pick<ModelManagerOptions, 'catalogPath' | 'dispatcher' | 'language'> & { rootCheckMs?: number };

const PROGRESS_EVERY_MS = 200;
const ROOT_CHECK_MS = 5_000;

/**
 * The running app around the engine, shared by the Electron main process and `shoebox serve`:
 * it keeps the library watched, tracks indexing progress, pause and resume, notices roots going
 * offline and back, and pushes all of that as contract events.
 */
export class LibraryService {
  readonly engine: Engine;
  readonly #emit: Emit;
  readonly #gate = new PauseGate();
  #model: ModelState = { state: 'loading', message: null, id: null, provider: null };
  #index: IndexState = idleIndexState();
  #watch: { abort: AbortController; done: Promise<void> } | null = null;
  #online = new Map<string, boolean>();
  #lastProgress = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  readonly #models: ModelManager;
  /** Albums, tags, favourites and ratings over the library's model. */
  readonly albums: AlbumService;
  readonly people: PeopleService;
  /** Model switches, one at a time. */
  #switching: Promise<void> = Promise.resolve();

  private constructor(engine: Engine, emit: Emit, opts: ServiceOptions) {
    this.engine = engine;
    this.#emit = emit;
    this.#models = new ModelManager(
      engine,
      {
        hasModel: () => this.#model.state === 'ready',
        switchTo: (dir) => this.#switchTo(dir),
        onDownloadChanged: (download) => this.#downloadChanged(download),
      },
      {
        libraryDir: engine.library.dir,
        catalogPath: opts.catalogPath,
        dispatcher: opts.dispatcher,
        ...(opts.language !== undefined ? { language: opts.language } : {}),
      },
    );
    const owner = {
      requireModel: () => this.#requireModel(),
      onChanged: () => void this.#libraryChanged(),
      onFailed: (message: string) => this.#setIndex({ ...this.#index, error: message }, true),
    };
    this.albums = new AlbumService(engine, owner);
    this.people = new PeopleService(engine, owner);
  }

  static async start(opts: ServiceOptions, emit: Emit): Promise<LibraryService> {
    // The service does not exist yet when the engine opens; the model loads only after it does.
    let service: LibraryService | null = null;
    const onProviderChange = (modelId: string, provider: string): void => {
      if (service) service.#providerChanged(modelId, provider);
    };
    const engine = await Engine.open(
      { ...opts, onProviderChange, holdVectors: true },
      { write: true, command: 'shoebox app' },
    );
    service = new LibraryService(engine, emit, opts);
    await service.#loadModel();
    if (service.#model.state === 'ready' && engine.library.roots().length > 0) await service.#restartWatch();
    service.#timer = setInterval(() => void service.#checkRoots(), opts.rootCheckMs ?? ROOT_CHECK_MS);
    service.#timer.unref();
    return service;
  }

  async #loadModel(): Promise<void> {
    const download = this.#models.download();
    try {
      const info = await this.engine.modelInfo();
      const previous = (await this.engine.models()).previous?.id ?? null;
      this.#model = { state: 'ready', message: null, id: info.id, provider: info.provider, previous, download };
    } catch (err) {
      const missing = err instanceof ShoeboxError && err.code === 'MODEL_MISSING';
      this.#model = {
        state: missing ? 'missing' : 'error',
        message: errorMessage(err),
        id: null,
        provider: null,
        previous: null,
        download,
      };
    }
    this.#emit('model.state', this.#model);
  }

  #downloadChanged(download: ModelDownload | null): void {
    this.#model = { ...this.#model, download };
    this.#emit('model.state', this.#model);
  }

  /** Serialised, so two switches never interleave their stop, switch and restart. */
  #switchTo(dir: string): Promise<void> {
    const run = this.#switching.then(() => this.#switchNow(dir));
    this.#switching = run.catch(() => undefined);
    return run;
  }

  /**
   * The watch loop stops (it writes with the model being replaced), the engine switches, and the
   * loop starts again to index every photo for the new model while the previous one answers.
   */
  async #switchNow(dir: string): Promise<void> {
    if (this.#closed) return;
    await this.#stopWatch();
    try {
      await this.engine.switchModel(dir);
    } catch (err) {
      await this.#afterSwitch(errorMessage(err));
      throw err;
    }
    await this.#afterSwitch(null);
  }

  /** Reads the model state again and restarts the watch loop, on the new model or the old one. */
  async #afterSwitch(failure: string | null): Promise<void> {
    await this.#loadModel();
    if (failure !== null && this.#model.state !== 'ready') {
      // A first model that cannot be opened: say why, rather than only "missing".
      this.#model = { ...this.#model, state: 'error', message: failure };
      this.#emit('model.state', this.#model);
    }
    if (this.#model.state === 'ready' && this.engine.library.roots().length > 0 && !this.#closed)
      await this.#restartWatch();
  }

  async #stopWatch(): Promise<void> {
    if (!this.#watch) return;
    this.#watch.abort.abort();
    await this.#watch.done;
    this.#watch = null;
  }

  #requireModel(): void {
    if (this.#model.state !== 'ready')
      throw new ShoeboxError('MODEL_MISSING', this.#model.message ?? 'no CLIP model is set up');
  }

  #setIndex(state: IndexState, force = false): void {
    this.#index = state;
    const now = Date.now();
    if (force || now - this.#lastProgress >= PROGRESS_EVERY_MS) {
      this.#lastProgress = now;
      this.#emit('index.progress', state);
    }
  }

  /** Never rejects: it runs from watcher callbacks, where a failure has nowhere to go. */
  async #libraryChanged(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#emit('library.changed', { photos: await this.engine.photoCount() });
    } catch (err) {
      if (!this.#closed) this.#setIndex({ ...this.#index, error: errorMessage(err) }, true);
    }
  }

  /** (Re)starts the index-then-watch loop, e.g. after roots change or on "index now". */
  async #restartWatch(): Promise<void> {
    await this.#stopWatch();
    const abort = new AbortController();
    this.#setIndex({ ...idleIndexState(), running: true, phase: 'scanning', paused: this.#gate.paused }, true);
    const done = this.engine
      .watch({
        signal: abort.signal,
        gate: this.#gate,
        onProgress: (p: IndexProgress) => this.#setIndex(progressState(p, this.#gate.paused), p.phase === 'done'),
        // The new model has caught up and now answers searches: views re-read what they show.
        onCaughtUp: () => {
          this.#model = { ...this.#model, previous: null };
          this.#emit('model.state', this.#model);
          void this.#libraryChanged();
        },
        events: {
          onIndexed: () => void this.#libraryChanged(),
          onApplied: () => {
            // Changes from the watcher report progress while they are indexed; then it is idle again.
            this.#setIndex({ ...this.#index, running: false, phase: 'watching', etaSeconds: null }, true);
            void this.#libraryChanged();
          },
          // Photos just read can be found by their text: views re-read what they show.
          onTextRead: () => void this.#libraryChanged(),
          onFacesFound: () => void this.#libraryChanged(),
          onError: (err) => this.#setIndex({ ...this.#index, error: err.message }, true),
        },
      })
      .catch((err: unknown) =>
        this.#setIndex({ ...this.#index, running: false, phase: 'idle', error: errorMessage(err) }, true),
      );
    this.#watch = { abort, done };
    for (const root of this.engine.library.roots()) this.#online.set(root, await isDirectory(root));
  }

  async #checkRoots(): Promise<void> {
    const changed: { path: string; online: boolean }[] = [];
    for (const root of this.engine.library.roots()) {
      const online = await isDirectory(root);
      const known = this.#online.get(root);
      if (known === online) continue;
      this.#online.set(root, online);
      // A root added since the last look is being indexed already: nothing came back.
      if (known !== undefined) changed.push({ path: root, online });
    }
    // A drive plugged back in: index what changed meanwhile and watch it again. The events go
    // out once that has begun, so a listener never sees "online" with a stale index state.
    if (changed.some((c) => c.online) && this.#model.state === 'ready' && !this.#closed) await this.#restartWatch();
    for (const c of changed) this.#emit('root.state', c);
  }

  async status(): Promise<AppStatus> {
    const roots = await this.roots();
    return {
      library: this.engine.library.dir,
      photos: roots.reduce((n, r) => n + r.photos, 0),
      failed: roots.reduce((n, r) => n + r.failed, 0),
      roots,
      model: this.#model,
      indexing: this.#index,
      faces: this.engine.library.settings.faces !== false,
    };
  }

  /**
   * A ready model's provider can change under it: a GPU that fails after start-up leaves the image
   * encoder on the CPU. Every window hears of it at once (the status bar shows the provider).
   */
  #providerChanged(modelId: string, provider: string): void {
    if (this.#model.state !== 'ready' || this.#model.id !== modelId || this.#model.provider === provider) return;
    this.#model = { ...this.#model, provider };
    this.#emit('model.state', this.#model);
  }

  async roots(): Promise<RootStatus[]> {
    if (this.#model.state !== 'ready') {
      return Promise.all(
        this.engine.library
          .roots()
          .map(async (path) => ({ path, online: await isDirectory(path), photos: 0, failed: 0 })),
      );
    }
    return (await this.engine.status()).roots;
  }

  async addRoot(path: string): Promise<RootStatus[]> {
    await this.engine.addRoot(path);
    if (this.#model.state === 'ready') await this.#restartWatch();
    const roots = await this.roots();
    this.#emit('roots.changed', roots);
    return roots;
  }

  async removeRoot(path: string): Promise<{ removed: number }> {
    const { removed } = await this.engine.removeRoot(path);
    if (this.#model.state === 'ready') await this.#restartWatch();
    await this.#libraryChanged();
    this.#emit('roots.changed', await this.roots());
    return { removed };
  }

  async textLanguages(): Promise<TextLanguageEntry[]> {
    return this.engine.textLanguages();
  }

  /** Downloads the recogniser if need be; with a model, an index starts and reads the photos again. */
  async setTextLanguage(id: string): Promise<TextLanguageEntry[]> {
    await this.engine.setTextLanguage(id);
    if (this.#model.state === 'ready') await this.#restartWatch();
    return this.engine.textLanguages();
  }

  /** Deletes a downloaded recogniser the library does not read with. */
  async removeTextLanguage(id: string): Promise<TextLanguageEntry[]> {
    await this.engine.removeTextLanguage(id);
    return this.engine.textLanguages();
  }

  async startIndex(): Promise<IndexState> {
    this.#requireModel();
    await this.#restartWatch();
    return this.#index;
  }

  pause(): IndexState {
    this.#gate.pause();
    this.#setIndex({ ...this.#index, paused: true }, true);
    return this.#index;
  }

  resume(): IndexState {
    this.#gate.resume();
    this.#setIndex({ ...this.#index, paused: false }, true);
    return this.#index;
  }

  async failures(): Promise<FailedFile[]> {
    this.#requireModel();
    return (await this.engine.failures()).map((f) => ({ path: f.path, reason: f.reason }));
  }

  async search(query: string, limit?: number, filters?: SearchFilters): Promise<PhotoHit[]> {
    this.#requireModel();
    return this.albums.withSensitive(
      (await this.engine.search(query, { limit: limit || undefined, filters })).map(toPhotoHit),
    );
  }

  async query(query: string, limit?: number, filters?: SearchFilters, all?: boolean): Promise<SearchResult> {
    this.#requireModel();
    const r = await this.engine.query(query, { limit: limit || undefined, filters, all: all === true });
    const hits = await this.albums.withSensitive(r.hits.map(toPhotoHit));
    return { hits, more: r.more, text: r.parsed.text, understood: r.parsed.understood };
  }

  /** The user is about to search (the search field got focus): start the text encoder meanwhile. */
  async prepareSearch(): Promise<{ ready: true }> {
    this.#requireModel();
    await this.engine.prepareSearch();
    return { ready: true };
  }

  async similar(id: string, limit?: number, filters?: SearchFilters): Promise<PhotoHit[]> {
    this.#requireModel();
    return this.albums.withSensitive(
      (await this.engine.similarTo(id, { limit: limit || undefined, filters })).map(toPhotoHit),
    );
  }

  async list(offset: number, limit: number, filters?: SearchFilters): Promise<PhotoPage> {
    if (this.#model.state !== 'ready') return { total: 0, offset, items: [] };
    const page = await this.engine.listPhotos(offset, limit, filters);
    return { total: page.total, offset, items: await this.albums.withSensitive(page.items.map(toPhotoHit)) };
  }

  async timeline(filters?: SearchFilters): Promise<Timeline> {
    if (this.#model.state !== 'ready') return { total: 0, days: [] };
    return this.engine.timeline(filters);
  }

  async mapPoints(filters?: SearchFilters): Promise<MapPoint[]> {
    if (this.#model.state !== 'ready') return [];
    return this.engine.mapPoints(filters);
  }

  async photo(id: string): Promise<PhotoDetails> {
    this.#requireModel();
    const meta = await this.engine.photo(id);
    if (!meta) throw new ShoeboxError('NOT_FOUND', `no photo with id ${id}`);
    const [members, text, faces] = await Promise.all([
      this.engine.members(meta),
      this.engine.textOf(meta),
      this.people.facesOf(id),
    ]);
    return toPhotoDetails(meta, members, text, faces);
  }

  /** The file behind a thumbnail, photo, video or motion URL, opened (media-files.ts). */
  async openMedia(kind: MediaKind, id: string): Promise<OpenMedia | null> {
    return this.#model.state === 'ready' ? openMedia(this.engine, kind, id) : null;
  }

  listModels(): Promise<ModelEntry[]> {
    return this.#models.list();
  }

  installModel(id: string): Promise<ModelEntry[]> {
    return this.#models.install(id);
  }

  cancelModelDownload(): Promise<ModelEntry[]> {
    return this.#models.cancel();
  }

  useModel(id: string): Promise<ModelEntry[]> {
    return this.#models.use(id);
  }

  removeModel(id: string): Promise<ModelEntry[]> {
    return this.#models.remove(id);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#models.close();
    await this.#switching;
    await this.#stopWatch();
    await this.albums.close();
    await this.engine.close();
  }
}
