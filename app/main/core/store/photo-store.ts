import * as lancedb from '@lancedb/lancedb';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { META_COLUMNS, photoSchema, toMeta } from './photo-schema.ts';
import type { FailureRow, FrameRow, HitMeta, MemberRow, PhotoMeta, PhotoRow } from './photo-schema.ts';
import { and, chunks, sqlIn, sqlString } from './sql.ts';
import { migrateTable } from './photo-migrations.ts';
import { upsertBy, withRetry } from './retry.ts';
import { FailureTable } from './failure-table.ts';
import { framesName, tableName } from './library-tables.ts';
import { FrameTable } from './frame-table.ts';
import { MemberTable } from './member-table.ts';
import { FaceTable } from './face-table.ts';
import { TextTable } from './text-table.ts';
import { toVector } from './vector-column.ts';
import { PhotoRanking } from './photo-ranking.ts';
import type { ScoredId, VectorHit } from './photo-ranking.ts';
import type { RowRef } from './row-directory.ts';
import { readRows } from './arrow-rows.ts';
import { searchNames } from './name-search.ts';
import { indexPhotos } from './table-indexes.ts';
import { DateOrders } from './date-order.ts';
import type { DateOrder } from './date-order.ts';
import { PhotoVocabulary } from './photo-vocabulary.ts';
import type { CameraRef } from './photo-vocabulary.ts';

export interface KnownFile {
  size: number;
  mtime: number;
  hash: string;
}

export type { DateOrder } from './date-order.ts';
export type { RowRef } from './row-directory.ts';
export type { ScoredId, VectorHit } from './photo-ranking.ts';

export { INDEX_THRESHOLD } from './table-indexes.ts';

/**
 * How stale a read of the tables a search reads (photos, frames, text) may be against another
 * connection's commits, in seconds: LanceDB checks for a newer version at most this often. This
 * connection's own writes are seen at once. Checking at every read cost a query a dozen checks of
 * the manifest, each queued behind the vector searches running beside it: 1.5-2 ms of an exclusion
 * at 100,000 photos.
 */
export const SEARCHED_STALENESS_S = 0.1;

/**
 * The LanceDB tables of one library: one photos table per model (vectors of two models never
 * share a table, so no search can mix them) and one table of files that failed to decode.
 */
export class PhotoStore {
  readonly modelId: string;
  readonly dim: number;
  /** Failures, members and faces: every read sees what another process committed. */
  readonly #db: lancedb.Connection;
  /** Photos, frames and text, read many times a search: see SEARCHED_STALENESS_S. */
  readonly #searched: lancedb.Connection;
  readonly #photos: lancedb.Table;
  /** Files that could not be indexed, with their reasons (every model's photos share them). */
  readonly failures: FailureTable;
  /** Sampled video frames; a video's row in #photos holds its poster frame's vector. */
  readonly frames: FrameTable;
  /** Files that belong to an item without being one (Live Photo motion, RAW beside JPEG). */
  readonly members: MemberTable;
  /** Text read in photos, by content (every model's photos share it). */
  readonly texts: TextTable;
  /** Faces found in photos, by content (every model's photos share them). */
  readonly faces: FaceTable;
  /** Whether the full-text index of names exists (name-search.ts). */
  #namesIndexed: boolean;
  readonly #dates: DateOrders;
  readonly #vocab: PhotoVocabulary;
  /** Vector searches of the photos table and the row references they return. */
  readonly #ranking: PhotoRanking;

  private constructor(
    [db, searched]: [lancedb.Connection, lancedb.Connection],
    photos: lancedb.Table,
    failures: FailureTable,
    frames: FrameTable,
    members: MemberTable,
    texts: TextTable,
    faces: FaceTable,
    modelId: string,
    dim: number,
    indices: { vector: boolean; names: boolean; hold: boolean },
  ) {
    this.frames = frames;
    this.members = members;
    this.texts = texts;
    this.faces = faces;
    this.#namesIndexed = indices.names;
    this.#db = db;
    this.#searched = searched;
    this.#photos = photos;
    this.#ranking = new PhotoRanking(photos, dim, indices, (ids) => this.byIds(ids));
    this.#vocab = new PhotoVocabulary(photos);
    this.#dates = new DateOrders(photos);
    this.failures = failures;
    this.modelId = modelId;
    this.dim = dim;
  }

  static async open(
    dbDir: string,
    modelId: string,
    dim: number,
    opts: { holdVectors?: boolean } = {},
  ): Promise<PhotoStore> {
    let db: lancedb.Connection;
    let searched: lancedb.Connection;
    try {
      // Reads check for newer versions: another process (the app, a CLI index) may have written
      // since. On local disk a check is one small manifest read.
      db = await lancedb.connect(dbDir, { readConsistencyInterval: 0 });
      searched = await lancedb.connect(dbDir, { readConsistencyInterval: SEARCHED_STALENESS_S });
    } catch (err) {
      throw new ShoeboxError(
        'LIBRARY_UNREADABLE',
        `cannot open the library database at ${dbDir}: ${errorMessage(err)}`,
      );
    }
    const name = tableName(modelId);
    const exists = (await searched.tableNames()).includes(name);
    const photos = exists ? await searched.openTable(name) : await searched.createEmptyTable(name, photoSchema(dim));
    if (exists) await migrateTable(photos, photoSchema(dim));
    const field = (await photos.schema()).fields.find((f) => f.name === 'vector');
    const storedDim = (field?.type as { listSize?: number } | undefined)?.listSize;
    if (storedDim !== dim) {
      photos.close();
      db.close();
      searched.close();
      throw new ShoeboxError(
        'LIBRARY_UNREADABLE',
        `the library's table for model ${modelId} holds ${storedDim}-dimensional vectors but the model produces ${dim}`,
      );
    }
    const failures = await FailureTable.open(db);
    const indices = await photos.listIndices();
    const indexed = {
      vector: indices.some((i) => i.columns.includes('vector')),
      names: indices.some((i) => i.columns.includes('path')),
    };
    const frames = await FrameTable.open(searched, framesName(modelId), dim, opts.holdVectors === true);
    const members = await MemberTable.open(db);
    const texts = await TextTable.open(searched);
    const faces = await FaceTable.open(db);
    return new PhotoStore([db, searched], photos, failures, frames, members, texts, faces, modelId, dim, {
      ...indexed,
      hold: opts.holdVectors === true,
    });
  }

  async count(filter?: string): Promise<number> {
    return this.#photos.countRows(filter);
  }

  /** path → size, mtime and hash of every stored photo (under one root, when given). */
  async knownFiles(root?: string): Promise<Map<string, KnownFile>> {
    let q = this.#photos.query();
    if (root !== undefined) q = q.where(`root = ${sqlString(root)}`);
    const rows = await readRows<{ path: string } & KnownFile>(q, ['path', 'size', 'mtime', 'hash']);
    return new Map(rows.map((r) => [r.path, { size: r.size, mtime: r.mtime, hash: r.hash }]));
  }

  /**
   * Reads from now on see every commit to the photos, frames and text, another connection's too:
   * after a change made through another connection (deleteRootEverywhere), or before an index
   * run builds on what another process indexed.
   */
  async refresh(): Promise<void> {
    await Promise.all([this.#photos.checkoutLatest(), this.frames.refresh(), this.texts.refresh()]);
  }

  /** The photos table's version: it moves with every write by any process. */
  async version(): Promise<number> {
    return this.#photos.version();
  }

  /** Every content hash stored: one small column, for "is this content known already?". */
  async knownHashes(): Promise<Set<string>> {
    const table = await this.#photos.query().select(['hash']).toArrow();
    return new Set((table.getChild('hash')?.toArray() ?? []) as string[]);
  }

  /** One stored photo (with its vector) per content hash, for reuse after moves and copies. */
  async byHash(hashes: readonly string[]): Promise<Map<string, PhotoRow>> {
    const out = new Map<string, PhotoRow>();
    for (const part of chunks([...new Set(hashes)], 500)) {
      const rows = await this.#photos.query().where(sqlIn('hash', part)).toArray();
      for (const r of rows as Record<string, unknown>[]) {
        out.set(r.hash as string, { ...toMeta(r), vector: toVector(r.vector) });
      }
    }
    return out;
  }

  /**
   * Hash and vector of every stored photo (the first `limit` when given), one Arrow batch at a
   * time: tagging reads a whole library this way without a row object per photo.
   */
  async *vectorBatches(limit?: number): AsyncGenerator<{ hashes: string[]; vectors: Float32Array }> {
    let q = this.#photos.query().select(['hash', 'vector']);
    if (limit !== undefined) q = q.limit(limit);
    for await (const batch of q) {
      const hashCol = batch.getChild('hash');
      const vectorCol = batch.getChild('vector');
      if (!hashCol || !vectorCol) continue;
      const vectors = new Float32Array(batch.numRows * this.dim);
      const hashes: string[] = [];
      for (let i = 0; i < batch.numRows; i++) {
        hashes.push(hashCol.get(i) as string);
        vectors.set(toVector(vectorCol.get(i)), i * this.dim);
      }
      yield { hashes, vectors };
    }
  }

  async byPath(path: string): Promise<PhotoRow | null> {
    const rows = (await this.#photos
      .query()
      .where(`path = ${sqlString(path)}`)
      .limit(1)
      .toArray()) as Record<string, unknown>[];
    const r = rows[0];
    return r ? { ...toMeta(r), vector: toVector(r.vector) } : null;
  }

  async byId(id: string): Promise<PhotoRow | null> {
    const rows = (await this.#photos
      .query()
      .where(`id = ${sqlString(id)}`)
      .limit(1)
      .toArray()) as Record<string, unknown>[];
    const r = rows[0];
    return r ? { ...toMeta(r), vector: toVector(r.vector) } : null;
  }

  async metaById(id: string): Promise<PhotoMeta | null> {
    const rows = (await this.#photos
      .query()
      .where(`id = ${sqlString(id)}`)
      .select(META_COLUMNS)
      .limit(1)
      .toArray()) as Record<string, unknown>[];
    return rows[0] ? toMeta(rows[0]) : null;
  }

  async byIds(ids: readonly string[]): Promise<PhotoMeta[]> {
    const out: PhotoMeta[] = [];
    for (const part of chunks(ids, 500)) {
      const rows = (await this.#photos.query().where(sqlIn('id', part)).select(META_COLUMNS).toArray()) as Record<
        string,
        unknown
      >[];
      out.push(...rows.map(toMeta));
    }
    return out;
  }

  /** Every matching id, newest first. */
  async idsByDate(where: string): Promise<string[]> {
    return (await this.#dates.read(where)).ids;
  }

  /** Every item under `where` with its date, newest first (date-order.ts). */
  async byDate(where: string): Promise<DateOrder> {
    return this.#dates.read(where);
  }

  /** One path per content (the first in sort order) of the items under `where`. */
  async itemPaths(where: string): Promise<Map<string, string>> {
    const rows = await readRows<{ hash: string; path: string }>(this.#photos.query().where(where), ['hash', 'path']);
    const out = new Map<string, string>();
    for (const r of rows.sort((a, b) => (a.path < b.path ? -1 : 1))) if (!out.has(r.hash)) out.set(r.hash, r.path);
    return out;
  }

  /** Where every item with a GPS position was taken, for the map. */
  async positions(where: string): Promise<{ id: string; lat: number; lon: number }[]> {
    const rows = await readRows<{ id: string; gps_lat: number; gps_lon: number }>(
      this.#photos.query().where(and('gps_lat IS NOT NULL AND gps_lon IS NOT NULL', where)),
      ['id', 'gps_lat', 'gps_lon'],
    );
    return rows.map((r) => ({ id: r.id, lat: r.gps_lat, lon: r.gps_lon }));
  }

  /**
   * Insert or replace by path, in one LanceDB commit: a crash leaves all of the batch or none.
   * Video frames are written first, so a video's row never exists without its frames.
   */
  async upsert(rows: readonly PhotoRow[], frames: readonly FrameRow[] = []): Promise<void> {
    await this.frames.replace(frames);
    await upsertBy(this.#photos, 'path', rows, 'save photos');
    await this.failures.clear(rows.map((r) => r.path));
    await this.members.removeAt(rows.map((r) => r.path));
  }

  /**
   * Files that became members of an item: any row or failure of their own goes, and a still
   * with motion beside it is a Live Photo from now on (whichever of the two was indexed first).
   */
  async saveMembers(rows: readonly MemberRow[]): Promise<void> {
    if (rows.length === 0) return;
    const paths = rows.map((r) => r.path);
    for (const part of chunks(paths, 500)) {
      await withRetry('drop member rows', () => this.#photos.delete(sqlIn('path', part)));
    }
    await this.failures.clear(paths);
    await this.members.save(rows);
    await this.markLive(
      rows.filter((r) => r.role === 'motion').map((r) => r.primary_path),
      true,
    );
  }

  /** The towns, regions, countries and cameras of the library's photos (for the query parser). */
  async vocabulary(): Promise<{ places: string[]; cameras: CameraRef[] }> {
    return this.#vocab.read();
  }

  /** Names the place of the rows at `paths` (rows indexed before places were named). */
  async setPlace(
    paths: readonly string[],
    named: { place: string; region: string | null; country: string },
  ): Promise<void> {
    const values: Record<string, string> = { place: named.place, country: named.country };
    if (named.region !== null) values.region = named.region;
    for (const part of chunks(paths, 500)) {
      await withRetry('name places', () => this.#photos.update({ where: sqlIn('path', part), values }));
    }
  }

  /** Sets stills to Live Photos (or back to photos when their motion went). Videos stay videos. */
  async markLive(paths: readonly string[], live: boolean): Promise<void> {
    for (const part of chunks([...new Set(paths)], 500)) {
      const where = `${sqlIn('path', part)} AND kind != 'video'`;
      await withRetry('mark live photos', () =>
        this.#photos.update({ where, values: { kind: live ? 'live' : 'photo' } }),
      );
    }
  }

  /** A file that changed and now fails has a stale embedding: it goes, and the reason is kept. */
  async recordFailures(rows: readonly FailureRow[]): Promise<void> {
    if (rows.length === 0) return;
    for (const part of chunks(
      rows.map((r) => r.path),
      500,
    ))
      await withRetry('drop stale photos', () => this.#photos.delete(sqlIn('path', part)));
    await this.failures.record(rows);
  }

  /**
   * Deletes files from the index. Returns the members whose primary was among them: they are
   * items of their own again, and the caller indexes them as such.
   */
  async deletePaths(paths: readonly string[]): Promise<MemberRow[]> {
    for (const part of chunks(paths, 500))
      await withRetry('remove photos', () => this.#photos.delete(sqlIn('path', part)));
    await this.failures.clear(paths);
    const { orphans, deleted } = await this.members.forget(paths);
    await this.markLive(
      deleted.filter((m) => m.role === 'motion').map((m) => m.primary_path),
      false,
    );
    return orphans;
  }

  /** Everything under a folder (a removed sub-folder, or a whole root on explicit removal). */
  async deleteUnder(folder: string, sep: string): Promise<void> {
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    const where = `starts_with(path, ${sqlString(prefix)})`;
    await withRetry('remove a folder', () => this.#photos.delete(where));
    await this.failures.deleteWhere(where);
    await this.members.deleteWhere(where);
  }

  /** The nearest items to `vector` under `where`, read whole (photo-ranking.ts). */
  async search(vector: Float32Array, limit: number, where?: string): Promise<VectorHit[]> {
    return this.#ranking.search(vector, limit, where);
  }

  /** The nearest items' scores and row references only (photo-ranking.ts). */
  async scores(vector: Float32Array, limit: number, where?: string, topOnly = false): Promise<ScoredId[]> {
    return this.#ranking.scores(vector, limit, where, topOnly);
  }

  /**
   * Holds the vectors of photos and frames from now on, once indexed, and waits until they are
   * read (benches and tests; the app's stores start at their first search, which does not wait).
   */
  /**
   * Starts reading the vectors into memory where this store holds them (opened with
   * `holdVectors`), as the first search would; settles once they are held. The app calls it when
   * the search field gets focus, so that the first search need not go to LanceDB's re-ranking.
   */
  async prepareHeld(): Promise<void> {
    if (this.#ranking.holds) await this.holdVectors();
  }

  /** Whether searches re-rank the photos from vectors held in memory now. */
  get vectorsHeld(): boolean {
    return this.#ranking.held;
  }

  async holdVectors(): Promise<void> {
    await Promise.all([this.#ranking.hold(), this.frames.holdVectors()]);
  }

  /** The rows holding these contents, under `where`. */
  async idsOfHashes(hashes: readonly string[], where: string): Promise<RowRef[]> {
    return this.#ranking.idsOfHashes(hashes, where);
  }

  /** Whether which rows pass `where` is answered from the rows held in memory (photo-ranking.ts). */
  filtersHeld(where: string): boolean {
    return this.#ranking.filtersHeld(where);
  }

  /** Those of `refs` whose rows pass `where`, from memory: only where filtersHeld. */
  async passing<T extends RowRef>(refs: readonly T[], where: string): Promise<T[]> {
    return this.#ranking.passing(refs, where);
  }

  /** These rows' exact scores against `vector`, from memory: only where filtersHeld. */
  async heldScores(vector: Float32Array, refs: readonly RowRef[]): Promise<Map<bigint, number>> {
    return this.#ranking.heldScores(vector, refs);
  }

  /** What search results show of these rows (photo-ranking.ts). */
  async hitMetas(refs: readonly RowRef[]): Promise<HitMeta[]> {
    return this.#ranking.hitMetas(refs);
  }

  /** Items under `where` whose folder and file names hold every one of `words`, best first. */
  async names(words: readonly string[], where: string, limit: number): Promise<RowRef[]> {
    return searchNames(this.#photos, words, where, limit, this.#namesIndexed);
  }

  async rows(where?: string, limit?: number): Promise<PhotoMeta[]> {
    return this.columns(META_COLUMNS, where, limit);
  }

  /** Only these columns of the rows: the albums' view reads 15 of 25, 0.7 s at 100,000 photos where all took 1.1. */
  async columns<K extends keyof PhotoMeta>(
    columns: readonly K[],
    where?: string,
    limit?: number,
  ): Promise<Pick<PhotoMeta, K>[]> {
    let q = this.#photos.query();
    if (where !== undefined && where !== '') q = q.where(where);
    if (limit !== undefined) q = q.limit(limit);
    return readRows<Pick<PhotoMeta, K>>(q, columns);
  }

  /** Indexes (table-indexes.ts), then compaction of every table. */
  async maintain(): Promise<{ indexed: boolean }> {
    const indexed = await indexPhotos(this.#photos);
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    await this.#photos.optimize({ cleanupOlderThan: weekAgo });
    await this.failures.optimize({ cleanupOlderThan: weekAgo });
    await this.frames.dropOrphans(await this.knownHashes());
    await this.frames.maintain();
    await this.members.optimize();
    await this.texts.maintain();
    if (indexed.vector) this.#ranking.indexed();
    this.#namesIndexed ||= indexed.names;
    return { indexed: this.#ranking.isIndexed };
  }

  close(): void {
    this.#ranking.close();
    this.frames.close();
    this.members.close();
    this.texts.close();
    this.faces.close();
    this.#photos.close();
    this.failures.close();
    this.#db.close();
    this.#searched.close();
  }
}
