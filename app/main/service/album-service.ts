import type { Albums } from '../core/albums/albums.ts';
import type { Engine } from '../core/engine.ts';
import { ShoeboxError } from '../core/errors.ts';
import type { AlbumPage, AlbumSummary, DuplicateGroup, PhotoMarks, PhotoTag } from '../../shared/types.ts';
import { toAlbumPhoto, toAlbumSummary, toDuplicateGroup, toPhotoMarks, toPhotoTag } from './album-dto.ts';

export interface AlbumServiceHooks {
  /** Throws MODEL_MISSING while there is no model: albums are computed from its vectors. */
  requireModel(): void;
  /** After a change, so every window re-reads what it shows. */
  changed(): void;
}

const DEFAULT_PAGE = 500;

/**
 * The app's view of `engine.albums()`: contract shapes in and out, photos named by id only (the
 * engine would also take paths, which the renderer must never be able to name), and a change
 * event after every mutation.
 */
export class AlbumService {
  readonly #engine: Engine;
  readonly #hooks: AlbumServiceHooks;

  constructor(engine: Engine, hooks: AlbumServiceHooks) {
    this.#engine = engine;
    this.#hooks = hooks;
  }

  async #albums(): Promise<Albums> {
    this.#hooks.requireModel();
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
    this.#hooks.changed();
    return result;
  }

  async list(): Promise<AlbumSummary[]> {
    return (await (await this.#albums()).list()).map(toAlbumSummary);
  }

  async get(id: string, offset = 0, limit = DEFAULT_PAGE): Promise<AlbumPage> {
    const album = await (await this.#albums()).show(id);
    // show() also takes names; over the contract an album is named by its id only.
    if (album.id !== id) throw new ShoeboxError('NOT_FOUND', `no album with id ${id}`);
    return { album: toAlbumSummary(album), total: album.photos.length, offset, items: album.photos.slice(offset, offset + limit).map(toAlbumPhoto) };
  }

  create(name: string): Promise<AlbumSummary> {
    return this.#mutate(async (a) => toAlbumSummary(await a.create(name)));
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
}
