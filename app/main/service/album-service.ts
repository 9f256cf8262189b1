import type { Albums } from '../core/albums/albums.ts';
import type { Engine } from '../core/engine/engine.ts';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import type { SearchFilters } from '../core/search/search.ts';
import type {
  AlbumPage,
  AlbumSummary,
  DuplicateGroup,
  Memory,
  PhotoHit,
  PhotoMarks,
  PhotoTag,
  TagEntry,
} from '../../shared/types.ts';
import {
  toAlbumPhoto,
  toAlbumSummary,
  toDuplicateGroup,
  toPhotoMarks,
  toPhotoTag,
  toSmartSearch,
  toTagEntry,
} from './album-dto.ts';

/** What the album service needs from the service that owns it. */
export interface AlbumServiceOwner {
  /** Throws MODEL_MISSING while there is no model: albums are computed from its vectors. */
  requireModel(): void;
  /** After a change, so every window re-reads what it shows. */
  onChanged(): void;
  /** Background work (tagging again after a vocabulary change) failed; nobody is waiting for it. */
  onFailed(message: string): void;
}

const DEFAULT_PAGE = 500;

/**
 * The app's view of `engine.albums()`: contract shapes in and out, photos named by id only (the
 * engine would also take paths, which the renderer must never be able to name), and a change
 * event after every mutation.
 */
export class AlbumService {
  readonly #engine: Engine;
  readonly #owner: AlbumServiceOwner;
  readonly #abort = new AbortController();
  #retagging: Promise<void> = Promise.resolve();

  constructor(engine: Engine, owner: AlbumServiceOwner) {
    this.#engine = engine;
    this.#owner = owner;
  }

  async #albums(): Promise<Albums> {
    this.#owner.requireModel();
    return this.#engine.albums();
  }

  /** The library's path for an id; Albums finds photos by path without guessing at the id's form. */
  async #photoRef(id: string): Promise<string> {
    const meta = await this.#engine.photo(id);
    if (!meta) throw new ShoeboxError('NOT_FOUND', `no photo with id ${id}`);
    return meta.path;
  }

  async #mutate<T>(fn: (albums: Albums) => Promise<T>): Promise<T> {
    const result = await fn(await this.#albums());
    this.#owner.onChanged();
    return result;
  }

  /** Today's memories, in the machine's local time (capture dates are local wall-clock times). */
  async memories(): Promise<Memory[]> {
    return (await this.#albums()).memories(new Date());
  }

  async list(): Promise<AlbumSummary[]> {
    const albums = await this.#albums();
    const list = await albums.list();
    const veiled = await albums.sensitiveIds(list.flatMap((a) => (a.coverId === null ? [] : [a.coverId])));
    return list.map((a) => toAlbumSummary(a, a.coverId !== null && veiled.has(a.coverId)));
  }

  async get(id: string, offset = 0, limit = DEFAULT_PAGE): Promise<AlbumPage> {
    const album = await (await this.#albums()).show(id);
    // show() also takes names; over the contract an album is named by its id only.
    if (album.id !== id) throw new ShoeboxError('NOT_FOUND', `no album with id ${id}`);
    return {
      album: toAlbumSummary(album, album.photos[0]?.sensitive ?? false),
      ...(album.query ? { search: toSmartSearch(album.query) } : {}),
      total: album.photos.length,
      offset,
      items: album.photos.slice(offset, offset + limit).map(toAlbumPhoto),
    };
  }

  /** The hits with their sensitive flag, so every grid can blur what it should. */
  async withSensitive<T extends PhotoHit>(hits: T[]): Promise<T[]> {
    if (hits.length === 0) return hits;
    const veiled = await (await this.#albums()).sensitiveIds(hits.map((h) => h.id));
    return hits.map((h) => ({ ...h, sensitive: veiled.has(h.id) }));
  }

  create(name: string): Promise<AlbumSummary> {
    return this.#mutate(async (a) => toAlbumSummary(await a.create(name)));
  }

  async createSmart(
    name: string,
    search: { text?: string | undefined; filters?: SearchFilters | undefined; likeIds?: string[] | undefined },
  ): Promise<AlbumSummary> {
    const like = await Promise.all((search.likeIds ?? []).map((p) => this.#photoRef(p)));
    const text = search.text?.trim();
    return this.#mutate(async (a) =>
      toAlbumSummary(
        await a.createSmart(name, {
          ...(text ? { text } : {}),
          ...(search.filters ? { filters: search.filters } : {}),
          ...(like.length > 0 ? { like } : {}),
        }),
      ),
    );
  }

  rename(id: string, name: string): Promise<AlbumSummary> {
    return this.#mutate(async (a) => toAlbumSummary(await a.rename(id, name)));
  }

  delete(id: string): Promise<{ deleted: string }> {
    return this.#mutate(async (a) => {
      await a.delete(id);
      return { deleted: id };
    });
  }

  async add(id: string, photoIds: readonly string[]): Promise<{ added: number }> {
    const refs = await Promise.all(photoIds.map((p) => this.#photoRef(p)));
    return this.#mutate((a) => a.add(id, refs));
  }

  async remove(id: string, photoIds: readonly string[]): Promise<{ removed: number }> {
    const refs = await Promise.all(photoIds.map((p) => this.#photoRef(p)));
    return this.#mutate((a) => a.remove(id, refs));
  }

  async duplicates(): Promise<DuplicateGroup[]> {
    return (await (await this.#albums()).duplicates()).map(toDuplicateGroup);
  }

  async tags(id: string): Promise<PhotoTag[]> {
    const ref = await this.#photoRef(id);
    return (await (await this.#albums()).tagsOf(ref)).map(toPhotoTag);
  }

  async decideTag(id: string, tag: string, decision: 'accept' | 'reject' | null): Promise<PhotoTag[]> {
    const ref = await this.#photoRef(id);
    return this.#mutate(async (a) => (await a.decide(ref, tag, decision)).map(toPhotoTag));
  }

  async marks(id: string): Promise<PhotoMarks> {
    const ref = await this.#photoRef(id);
    return toPhotoMarks(await (await this.#albums()).marksOf(ref));
  }

  async setFavourite(id: string, favourite: boolean): Promise<PhotoMarks> {
    const ref = await this.#photoRef(id);
    return this.#mutate(async (a) => {
      await a.setFavourite(ref, favourite);
      return toPhotoMarks(await a.marksOf(ref));
    });
  }

  async setRating(id: string, rating: number | null): Promise<PhotoMarks> {
    const ref = await this.#photoRef(id);
    return this.#mutate(async (a) => {
      await a.setRating(ref, rating);
      return toPhotoMarks(await a.marksOf(ref));
    });
  }

  // ---- the tag vocabulary --------------------------------------------------------------------

  async tagList(): Promise<TagEntry[]> {
    return (await (await this.#albums()).vocabulary()).map(toTagEntry);
  }

  /** Answers at once; photos are tagged for the new tag in the background, then windows re-read. */
  addTag(name: string, prompts?: string[]): Promise<TagEntry[]> {
    return this.#mutate(async (a) => {
      await a.addTag(name, prompts);
      this.#retagSoon(a);
      return this.tagList();
    });
  }

  /** A rename or hide keeps the tag's id, which decisions and stored tags refer to: no tagging again. */
  async renameTag(tag: string, name: string): Promise<TagEntry[]> {
    return this.#mutate(async (a) => {
      await a.renameTag(tag, name);
      return this.tagList();
    });
  }

  async hideTag(tag: string, hidden: boolean): Promise<TagEntry[]> {
    return this.#mutate(async (a) => {
      await a.hideTag(tag, hidden);
      return this.tagList();
    });
  }

  /** Every photo's tags are scored against the whole vocabulary, so they are redone without it. */
  removeTag(tag: string): Promise<TagEntry[]> {
    return this.#mutate(async (a) => {
      await a.removeTag(tag);
      this.#retagSoon(a);
      return this.tagList();
    });
  }

  #retagSoon(albums: Albums): void {
    const run = this.#retagging
      .then(() => albums.retag(this.#abort.signal))
      .then(
        () => this.#owner.onChanged(),
        (err: unknown) => {
          if (!this.#abort.signal.aborted)
            this.#owner.onFailed(`could not tag the photos again after the tag change: ${errorMessage(err)}`);
        },
      );
    this.#retagging = run;
  }

  /** Stops tagging in the background; the next index finishes what it left. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#retagging;
  }
}
