import { People } from './people/people.ts';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../embed/embedder.ts';
import { ShoeboxError } from '../errors.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { AlbumDb } from './user/album-db.ts';
import type { AlbumItemRow, AlbumRow } from './user/album-db.ts';
import type {
  AlbumDetails,
  AlbumPhoto,
  AlbumSummary,
  DuplicateGroup,
  PhotoMarks,
  PhotoTag,
  RetagSummary,
  SmartQuery,
  TagDecision,
} from './album-types.ts';
import { eventAlbums, placeAlbums, tagAlbums } from './grouping/automatic.ts';
import type { BuiltAlbum } from './grouping/automatic.ts';
import { dayAlbum, memoriesOf } from './grouping/memories.ts';
import type { Memory } from './grouping/memories.ts';
import { conceptMatrix } from './tagging/concept-vectors.ts';
import type { ConceptMatrix } from './tagging/concept-vectors.ts';
import { DUPLICATES_ID, duplicateGroups, duplicatesAlbum, duplicatesSummary } from './grouping/duplicate-groups.ts';
import { findPhoto, findHashes, libraryView } from './library-view.ts';
import * as marks from './user/marks.ts';
import { retag } from './tagging/retag.ts';
import { albumPhoto, isSensitive, readMarks, readTags, snapshotOf, tagLookup } from './snapshot.ts';
import type { Snapshot } from './snapshot.ts';
import { photoTagsNow } from './tagging/photo-tags-now.ts';
import { checkSmartQuery, smartMembers } from './smart/smart.ts';
import type { Library } from '../library/library.ts';
import * as users from './user/user-albums.ts';
import {
  addConcept,
  buildVocabulary,
  findConcept,
  hideConcept,
  removeConcept,
  renameConcept,
} from './tagging/vocab-state.ts';
import type { Concept, Vocabulary } from './tagging/vocab-state.ts';
import type { NameLookup } from '../search/query-search.ts';

export type {
  AlbumDetails,
  AlbumKind,
  AlbumPhoto,
  AlbumSummary,
  DuplicateGroup,
  PhotoMarks,
  PhotoTag,
  RetagSummary,
  SmartQuery,
  TagDecision,
} from './album-types.ts';
export type { Concept } from './tagging/vocab-state.ts';

/** A smart album as asked for: example photos by id or path (stored by content hash). */
export type SmartQueryInput = Omit<SmartQuery, 'like'> & { like?: string[] };

export interface AlbumsParts {
  embedder: Pick<Embedder, 'embedTexts' | 'modelId' | 'info' | 'calibration'>;
  store: PhotoStore;
}

/** Where a library keeps each kind of file, as Library knows it. */
export type LibraryPaths = Pick<Library, 'dir' | 'dbDir' | 'thumbsDir'>;

function conceptCacheFile(libraryDir: string, modelId: string): string {
  return join(libraryDir, 'albums', `concepts-${modelId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/**
 * Albums over one library and model: automatic ones (tags, events, duplicates) computed from the
 * index when read, smart ones (saved searches) evaluated when read, and the user's own albums,
 * favourites, ratings and tag decisions stored by content hash in the library's LanceDB.
 * Opened without the writer lock it reads only; mutations are serialised within the process.
 */
export class Albums {
  readonly #db: AlbumDb;
  readonly #store: PhotoStore;
  readonly #embedder: AlbumsParts['embedder'];
  readonly #thumbsDir: string;
  readonly #cacheFile: string;
  #matrix: { key: string; matrix: Promise<ConceptMatrix> } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #people: People | null = null;

  private constructor(db: AlbumDb, parts: AlbumsParts, library: LibraryPaths) {
    this.#db = db;
    this.#store = parts.store;
    this.#embedder = parts.embedder;
    this.#thumbsDir = library.thumbsDir;
    this.#cacheFile = conceptCacheFile(library.dir, parts.store.modelId);
  }

  static async open(parts: AlbumsParts, library: LibraryPaths, opts: { writable?: boolean } = {}): Promise<Albums> {
    const db = await AlbumDb.open(library.dbDir, parts.store.modelId, opts.writable ?? true);
    return new Albums(db, parts, library);
  }

  /**
   * Forgets what one model computed (its tags table and concept embeddings), for when its
   * vectors are removed. Albums, favourites, ratings and tag decisions are kept.
   */
  static async forgetModel(library: LibraryPaths, modelId: string): Promise<void> {
    await AlbumDb.dropModelTags(library.dbDir, modelId);
    await rm(conceptCacheFile(library.dir, modelId), { force: true });
  }

  get writable(): boolean {
    return this.#db.writable;
  }

  /** The people in the photos (their names and corrections live beside the albums). */
  people(): People {
    this.#people ??= new People(this.#db, this.#store, async (hashes) => {
      const s = await this.#snapshotOf(hashes);
      return new Set(hashes.filter((h) => isSensitive(s, h)));
    });
    return this.#people;
  }

  /** One mutation at a time: read-modify-write steps (positions, name checks) never interleave. */
  #write<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.#db.writable)
      return Promise.reject(
        new ShoeboxError(
          'INTERNAL',
          'the library was opened read-only: open it for writing to change albums, tags or marks',
        ),
      );
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #vocab(): Promise<Vocabulary> {
    return buildVocabulary(await this.#db.rows('tag_vocab'), this.#store.modelId, this.#embedder.calibration);
  }

  async #concepts(vocab: Vocabulary): Promise<ConceptMatrix> {
    if (this.#matrix?.key !== vocab.key) {
      const matrix = conceptMatrix(vocab.concepts, (t) => this.#embedder.embedTexts(t), {
        modelId: this.#store.modelId,
        dim: this.#embedder.info.dim,
        cacheFile: this.#cacheFile,
        writable: this.#db.writable,
      });
      this.#matrix = { key: vocab.key, matrix };
      matrix.catch(() => {
        this.#matrix = null;
      });
    }
    return this.#matrix.matrix;
  }

  async #snapshot(): Promise<Snapshot> {
    const vocab = await this.#vocab();
    const [view, tags, m] = await Promise.all([
      libraryView(this.#store),
      readTags(this.#db, vocab),
      readMarks(this.#db),
    ]);
    return { view, vocab, tags, marks: m };
  }

  // ---- reading ----------------------------------------------------------------------------

  async list(): Promise<AlbumSummary[]> {
    const s = await this.#snapshot();
    const out: AlbumSummary[] = [];
    const items = new Map<string, AlbumItemRow[]>();
    for (const i of await users.readItems(this.#db)) {
      const list = items.get(i.album_id);
      if (list) list.push(i);
      else items.set(i.album_id, [i]);
    }
    for (const row of await users.readAlbums(this.#db))
      out.push(summaryOf(row, await this.#members(s, row, items.get(row.id) ?? [])));
    out.push(...[...tagAlbums(s), ...placeAlbums(s), ...eventAlbums(s)].map((a) => a.summary));
    const groups = await duplicateGroups(this.#store, this.#db, s);
    if (groups.length > 0) out.push(duplicatesSummary(groups));
    return out;
  }

  /** "On this day" and trips for the Photos screen; each opens as an album through show(). */
  async memories(now: Date): Promise<Memory[]> {
    return memoriesOf(await this.#snapshot(), now);
  }

  async show(idOrName: string): Promise<AlbumDetails> {
    const s = await this.#snapshot();
    const rows = await users.readAlbums(this.#db);
    const ref = idOrName.trim();
    const lower = ref.toLowerCase();
    const row = rows.find((r) => r.id === ref) ?? rows.find((r) => r.name.toLowerCase() === lower);
    if (row) {
      const photos = await this.#members(s, row);
      return {
        ...summaryOf(row, photos),
        photos,
        ...(row.kind === 'smart' ? { query: JSON.parse(row.query) as SmartQuery } : {}),
      };
    }
    const auto =
      [...tagAlbums(s), ...placeAlbums(s), ...eventAlbums(s)].find(
        (a) => a.summary.id === ref || a.summary.name.toLowerCase() === lower,
      ) ?? dayAlbum(s, ref);
    if (auto) return detailsOf(s, auto);
    if (ref === DUPLICATES_ID || lower === 'duplicates')
      return duplicatesAlbum(s, await duplicateGroups(this.#store, this.#db, s));
    throw new ShoeboxError('NOT_FOUND', `there is no album "${idOrName}" (list them with: shoebox albums)`);
  }

  /** A user album's present photos in order, or a smart album's current matches. */
  async #members(s: Snapshot, row: AlbumRow, items?: readonly AlbumItemRow[]): Promise<AlbumPhoto[]> {
    if (row.kind === 'smart') {
      const q = JSON.parse(row.query) as SmartQuery;
      const matrix = q.text !== undefined ? await this.#concepts(s.vocab) : null;
      const generic = matrix ? matrix.vectors.subarray(matrix.count * matrix.dim) : new Float32Array(this.#store.dim);
      const hits = await smartMembers(
        { store: this.#store, embed: (t) => this.#embedder.embedTexts(t), calibration: this.#embedder.calibration },
        generic,
        q,
      );
      return hits.flatMap((h) => (s.view.has(h.hash) ? [albumPhoto(s, s.view.get(h.hash)!, h.score)] : []));
    }
    // Items whose content is not in the library now (a folder offline or removed) wait, unshown.
    return (items ?? (await users.readItems(this.#db, row.id))).flatMap((i) =>
      s.view.has(i.hash) ? [albumPhoto(s, s.view.get(i.hash)!, null)] : [],
    );
  }

  async duplicates(): Promise<DuplicateGroup[]> {
    return duplicateGroups(this.#store, this.#db, await this.#snapshot());
  }

  /** The photo's tags: the model's (scored now if it was not tagged yet) and the user's decisions. */
  async tagsOf(photo: string): Promise<PhotoTag[]> {
    const row = await findPhoto(this.#store, photo);
    const vocab = await this.#vocab();
    return photoTagsNow(this.#db, row, vocab, await this.#concepts(vocab));
  }

  async marksOf(photo: string): Promise<PhotoMarks> {
    const row = await findPhoto(this.#store, photo);
    const s = await this.#snapshotOf([row.hash]);
    return {
      hash: row.hash,
      favourite: s.marks.favourites.has(row.hash),
      rating: s.marks.ratings.get(row.hash) ?? null,
      sensitive: isSensitive(s, row.hash),
    };
  }

  /** The tags and marks of a few photos only (snapshot.ts). */
  async #snapshotOf(hashes: readonly string[]): Promise<Snapshot> {
    return snapshotOf(this.#db, await this.#vocab(), hashes);
  }

  /** Which of these photos are sensitive, reading only their own tags and decisions. */
  async sensitiveIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const metas = await this.#store.byIds([...new Set(ids)]);
    const s = await this.#snapshotOf(metas.map((m) => m.hash));
    return new Set(metas.filter((m) => isSensitive(s, m.hash)).map((m) => m.id));
  }

  /** The user's own albums, for a search that names one: their names, and one's contents. */
  async userAlbumLookup(): Promise<NameLookup> {
    return users.albumLookup(this.#db);
  }

  /** Tags by name for the search box ("#beach"), and the photos each is applied to (snapshot.ts). */
  async tagLookup(): Promise<NameLookup> {
    return tagLookup(this.#db, await this.#vocab());
  }

  async vocabulary(): Promise<Concept[]> {
    return (await this.#vocab()).concepts;
  }

  // ---- user and smart albums -----------------------------------------------------------------

  async #userAlbum(ref: string, kinds: readonly AlbumRow['kind'][] = ['user']): Promise<AlbumRow> {
    const rows = await users.readAlbums(this.#db);
    const r = ref.trim();
    const row = rows.find((a) => a.id === r) ?? rows.find((a) => a.name.toLowerCase() === r.toLowerCase());
    if (row && kinds.includes(row.kind)) return row;
    if (row) throw new ShoeboxError('BAD_REQUEST', `"${row.name}" is a smart album: its photos come from its search`);
    const auto = await this.show(ref).catch(() => null);
    if (auto)
      throw new ShoeboxError(
        'BAD_REQUEST',
        `"${auto.name}" is an automatic ${auto.kind} album: only albums you made can be changed`,
      );
    throw new ShoeboxError('NOT_FOUND', `there is no album "${ref}" (list them with: shoebox albums)`);
  }

  async create(name: string): Promise<AlbumSummary> {
    return this.#write(async () => summaryOf(await users.createAlbum(this.#db, name, 'user', ''), []));
  }

  async createSmart(name: string, query: SmartQueryInput): Promise<AlbumSummary> {
    return this.#write(async () => {
      const like = query.like && query.like.length > 0 ? await findHashes(this.#store, query.like) : undefined;
      const q = checkSmartQuery({ ...query, ...(like ? { like } : {}) });
      const row = await users.createAlbum(this.#db, name, 'smart', JSON.stringify(q));
      return summaryOf(row, await this.#members(await this.#snapshot(), row));
    });
  }

  async rename(album: string, name: string): Promise<AlbumSummary> {
    return this.#write(async () => {
      const row = await users.renameAlbum(this.#db, await this.#userAlbum(album, ['user', 'smart']), name);
      return summaryOf(row, await this.#members(await this.#snapshot(), row));
    });
  }

  /** The album goes; its photos are untouched. */
  async delete(album: string): Promise<void> {
    await this.#write(async () => users.deleteAlbum(this.#db, await this.#userAlbum(album, ['user', 'smart'])));
  }

  async add(album: string, photos: readonly string[]): Promise<{ added: number }> {
    return this.#write(async () => {
      const row = await this.#userAlbum(album);
      return { added: await users.addItems(this.#db, row, await findHashes(this.#store, photos)) };
    });
  }

  async remove(album: string, photos: readonly string[]): Promise<{ removed: number }> {
    return this.#write(async () => {
      const row = await this.#userAlbum(album);
      return { removed: await users.removeItems(this.#db, row, await findHashes(this.#store, photos)) };
    });
  }

  /** The photos given move to the front, in that order. */
  async reorder(album: string, photos: readonly string[]): Promise<void> {
    await this.#write(async () => {
      const row = await this.#userAlbum(album);
      await users.reorderItems(this.#db, row, await findHashes(this.#store, photos));
    });
  }

  // ---- marks -----------------------------------------------------------------------------------

  async decide(photo: string, tag: string, decision: TagDecision | null): Promise<PhotoTag[]> {
    await this.#write(async () => {
      const row = await findPhoto(this.#store, photo);
      await marks.setDecision(this.#db, row.hash, findConcept(await this.#vocab(), tag).id, decision);
    });
    return this.tagsOf(photo);
  }

  async setFavourite(photo: string, favourite: boolean): Promise<void> {
    await this.#write(async () => marks.setFavourite(this.#db, (await findPhoto(this.#store, photo)).hash, favourite));
  }

  async setRating(photo: string, stars: number | null): Promise<void> {
    await this.#write(async () => marks.setRating(this.#db, (await findPhoto(this.#store, photo)).hash, stars));
  }

  // ---- tagging and vocabulary ------------------------------------------------------------------

  /** Tags photos not yet tagged under this model and vocabulary; call after indexing. */
  async retag(signal?: AbortSignal): Promise<RetagSummary> {
    return this.#write(async () => {
      const vocab = await this.#vocab();
      const matrix = await this.#concepts(vocab);
      return retag({ store: this.#store, db: this.#db, thumbsDir: this.#thumbsDir, vocab, matrix, signal });
    });
  }

  /** Adding or removing a tag changes the vocabulary: call retag() after (it redoes every photo). */
  async addTag(name: string, prompts?: string[]): Promise<Concept> {
    return this.#write(async () => {
      const id = await addConcept(this.#db, await this.#vocab(), name, prompts);
      return (await this.#vocab()).byId.get(id)!;
    });
  }

  async renameTag(tag: string, name: string): Promise<void> {
    await this.#write(async () => renameConcept(this.#db, await this.#vocab(), tag, name));
  }

  async hideTag(tag: string, hidden = true): Promise<void> {
    await this.#write(async () => hideConcept(this.#db, await this.#vocab(), tag, hidden));
  }

  async removeTag(tag: string): Promise<void> {
    await this.#write(async () => removeConcept(this.#db, await this.#vocab(), tag));
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#db.close();
  }
}

function summaryOf(row: AlbumRow, photos: readonly AlbumPhoto[]): AlbumSummary {
  return { id: row.id, name: row.name, kind: row.kind, count: photos.length, coverId: photos[0]?.id ?? null };
}

function detailsOf(s: Snapshot, a: BuiltAlbum): AlbumDetails {
  return { ...a.summary, photos: a.members.map((m) => albumPhoto(s, m.entry, m.score)) };
}
