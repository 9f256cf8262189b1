import type { People, Person } from '../core/albums/people/people.ts';
import type { Engine } from '../core/engine/engine.ts';
import { ShoeboxError } from '../core/errors.ts';
import type { PersonEntry, PhotoFace, PhotoPage } from '../../shared/types.ts';
import type { AlbumServiceOwner } from './album-service.ts';
import { toPhotoHit } from './dto.ts';

const DEFAULT_PAGE = 500;

/**
 * The app's view of the people in the photos: contract shapes in and out, photos named by id
 * only, and a change event after every correction (every window re-reads what it shows).
 */
export class PeopleService {
  readonly #engine: Engine;
  readonly #owner: AlbumServiceOwner;

  constructor(engine: Engine, owner: AlbumServiceOwner) {
    this.#engine = engine;
    this.#owner = owner;
  }

  async #people(): Promise<People> {
    this.#owner.requireModel();
    return this.#engine.people();
  }

  async #entries(list: readonly Person[]): Promise<PersonEntry[]> {
    const ids = await this.#engine.idsOfHashes(list.map((p) => p.cover.hash));
    return list.flatMap((p) => {
      const photoId = ids.get(p.cover.hash);
      if (photoId === undefined) return [];
      const { x, y, w, h, atMs } = p.cover;
      return [{ id: p.id, name: p.name, hidden: p.hidden, count: p.count, cover: { photoId, x, y, w, h, atMs } }];
    });
  }

  async list(hidden = false): Promise<PersonEntry[]> {
    return this.#entries(await (await this.#people()).list({ hidden }));
  }

  async photos(id: string, offset = 0, limit = DEFAULT_PAGE): Promise<PhotoPage> {
    this.#owner.requireModel();
    const page = await this.#engine.personPhotos(id, offset, limit);
    return { total: page.total, offset, items: page.items.map(toPhotoHit) };
  }

  /** The faces in a photo known by its id. */
  async facesOf(photoId: string): Promise<PhotoFace[]> {
    const meta = await this.#engine.photo(photoId);
    if (!meta) throw new ShoeboxError('NOT_FOUND', `no photo with id ${photoId}`);
    return (await this.#people()).facesIn(meta.hash);
  }

  async name(id: string, name: string): Promise<PersonEntry> {
    return this.#one(await this.#mutate((p) => p.name(id, name)));
  }

  async merge(id: string, into: string): Promise<PersonEntry> {
    return this.#one(await this.#mutate((p) => p.merge(id, into)));
  }

  async hide(id: string, hidden: boolean): Promise<PersonEntry[]> {
    await this.#mutate((p) => p.hide(id, hidden));
    return this.list();
  }

  async moveFace(photoId: string, face: number, to: string | null): Promise<PhotoFace[]> {
    const meta = await this.#engine.photo(photoId);
    if (!meta) throw new ShoeboxError('NOT_FOUND', `no photo with id ${photoId}`);
    return this.#mutate((p) => p.move(meta.hash, face, to));
  }

  async setEnabled(enabled: boolean): Promise<{ enabled: boolean }> {
    this.#owner.requireModel();
    await this.#engine.setFaceRecognition(enabled);
    this.#owner.onChanged();
    return { enabled };
  }

  async #one(p: Person): Promise<PersonEntry> {
    const [entry] = await this.#entries([p]);
    if (!entry) throw new ShoeboxError('NOT_FOUND', `no person ${p.id}`);
    return entry;
  }

  async #mutate<T>(fn: (people: People) => Promise<T>): Promise<T> {
    const result = await fn(await this.#people());
    this.#owner.onChanged();
    return result;
  }
}
