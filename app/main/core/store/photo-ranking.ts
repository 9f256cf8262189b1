// Ranking the photos table by a vector: LanceDB's ANN index proposes, and the pool is re-ranked
// exactly, from the vectors held in memory (row-vectors.ts) where the app holds them, else by
// LanceDB on full vectors. Rows come back as references (row id, id, content hash) named from
// memory (row-directory.ts); only the hits shown are read (hitMetas).
import type * as lancedb from '@lancedb/lancedb';
import { FILTER_COLUMNS, HIT_COLUMNS, META_COLUMNS, pick, toMeta } from './photo-schema.ts';
import type { HitMeta, PhotoMeta } from './photo-schema.ts';
import { compileWhere } from './where-predicate.ts';
import { RowDirectory } from './row-directory.ts';
import type { RowRef } from './row-directory.ts';
import { MAX_HELD_ROWS, RowVectors } from './row-vectors.ts';
import { and, chunks, sqlIn } from './sql.ts';

/**
 * What is held of each row beside its vector: what a hit shows, and the columns search filters
 * read (search.ts, query-search.ts), so which rows pass a filter is answered from memory.
 */
const HELD_COLUMNS = [...HIT_COLUMNS, ...FILTER_COLUMNS] as const;
type HeldRow = Pick<PhotoMeta, (typeof HELD_COLUMNS)[number]>;
const HELD = new Set<string>(HELD_COLUMNS);
/** Held columns of few distinct values, each value held once (row-vectors.ts). */
const SHARED_COLUMNS = [
  'format',
  'kind',
  'folder',
  'camera_make',
  'camera_model',
  'place',
  'region',
  'country',
] as const;

export interface VectorHit {
  meta: PhotoMeta;
  score: number;
}

export interface ScoredId extends RowRef {
  score: number;
}

export class PhotoRanking {
  readonly #photos: lancedb.Table;
  readonly #rows: RowDirectory;
  /** Vectors and hit columns held in memory once the table is indexed. */
  readonly #held: RowVectors<HeldRow>;
  /** Whether an ANN index exists, so searches ask for a wider probe and exact re-ranking. */
  #indexed: boolean;
  /** Whether searches start holding the vectors (the app's stores). */
  #hold: boolean;
  /** Rows gone from their row ids since they were ranked, read whole by id. */
  readonly #byIds: (ids: readonly string[]) => Promise<PhotoMeta[]>;

  constructor(
    photos: lancedb.Table,
    dim: number,
    state: { vector: boolean; hold: boolean },
    byIds: (ids: readonly string[]) => Promise<PhotoMeta[]>,
  ) {
    this.#photos = photos;
    this.#rows = new RowDirectory(photos);
    this.#held = new RowVectors<HeldRow>(photos, dim, HELD_COLUMNS, MAX_HELD_ROWS, SHARED_COLUMNS);
    this.#indexed = state.vector;
    this.#hold = state.hold;
    this.#byIds = byIds;
  }

  get isIndexed(): boolean {
    return this.#indexed;
  }

  /** The table has an ANN index now (PhotoStore.maintain). */
  indexed(): void {
    this.#indexed = true;
  }

  close(): void {
    this.#held.close();
  }

  async search(vector: Float32Array, limit: number, where?: string): Promise<VectorHit[]> {
    let q = this.#photos
      .vectorSearch(vector)
      .distanceType('cosine')
      .limit(limit)
      .select([...META_COLUMNS, '_distance']);
    if (where !== undefined && where !== '') q = q.where(where);
    // Re-ranking 5× the results on full vectors undoes the quantisation: recall@10 1.00 at 100k
    // and 0.997 at 1M on clustered 512-d vectors, in 6-10 ms where 10× took 8-9 ms more.
    if (this.#indexed) q = q.nprobes(20).refineFactor(5);
    const rows = (await q.toArray()) as Record<string, unknown>[];
    return rows.map((r) => ({ meta: toMeta(r), score: 1 - (r._distance as number) }));
  }

  /**
   * Scores only (row, id, content hash, cosine): ranking a pool of hundreds to find where matches
   * end reads no column beyond the vectors (the row directory names the rows), and only the hits
   * shown are read (hitMetas). `topOnly`: only what ranks within the relevance cut must be right
   * (what an exclusion matches), so the ANN index explores no more candidates than it returns
   * (LanceDB's ef; by default half as many again). Over 40 queries at 100,000 photos every item
   * within the cut was still found (at least 0.99 of them in each, either way of searching below),
   * while the pool's tail held 0.865 of the exact top 200 where the same queries' default search
   * held 0.90; the photos' search took 2.97 ms against 3.85. Those queries were all near a
   * cluster: for one near no photo (noise, whose cut is the few that stand out) it found 0.706 of
   * the cut against 0.795, which matters little where nothing in particular matches.
   */
  async scores(vector: Float32Array, limit: number, where?: string, topOnly = false): Promise<ScoredId[]> {
    // Held vectors re-rank twice the pool from memory: better recall than LanceDB's re-ranking
    // of the pool itself (0.95 of the exact top 200 against 0.90 at 100,000) in a third of the
    // time, and the held columns name the rows.
    if (this.#indexed && this.#hold && this.#held.ready())
      return (await this.#held.search(vector, limit, where, ['id', 'hash'], topOnly)).map(({ rowId, score, row }) => ({
        id: row.id,
        hash: row.hash,
        rowId,
        score,
      }));
    let q = this.#photos.vectorSearch(vector).distanceType('cosine').limit(limit).select(['_distance']).withRowId();
    if (where !== undefined && where !== '') q = q.where(where);
    // The pool itself re-ranked on full vectors: its scores are exact, and its top 50 are the
    // exact top 50 (recall 1.00 at 100k) in a third of the time 5× refining takes at 500.
    if (this.#indexed) q = q.nprobes(20).refineFactor(1);
    if (this.#indexed && topOnly) q = q.ef(limit);
    const rows = (await q.toArray()) as { _rowid: bigint; _distance: number }[];
    const refs = await this.#rows.resolve(rows.map((r) => r._rowid));
    return rows.flatMap((r) => {
      const ref = refs.get(r._rowid);
      return ref ? [{ ...ref, rowId: r._rowid, score: 1 - r._distance }] : [];
    });
  }

  /** Whether searches hold the vectors in memory (the app's store), once the table is indexed. */
  get holds(): boolean {
    return this.#hold;
  }

  /** Whether searches re-rank from vectors held in memory now. */
  get held(): boolean {
    return this.#indexed && this.#hold && this.#held.held;
  }

  /** Holds the vectors from now on, once indexed, and waits until they are read. */
  async hold(): Promise<void> {
    this.#hold = true;
    if (this.#indexed) await this.#held.loaded();
  }

  /** The rows holding these contents, under `where`. */
  async idsOfHashes(hashes: readonly string[], where: string): Promise<RowRef[]> {
    // Unfiltered, from memory: at 100,000 photos asking for 200 contents takes 8 ms.
    if (where === '') return this.#rows.rowsOfHashes(hashes);
    // From memory where the rows are held: at 100,000 photos LanceDB took 3.7 ms to check a
    // search's 200 videos against a query's filters, on the path of every filtered search.
    if (this.filtersHeld(where)) return this.passing(await this.#rows.rowsOfHashes(hashes), where);
    const out: RowRef[] = [];
    for (const part of chunks(hashes, 500)) {
      const rows = (await this.#photos
        .query()
        .where(and(sqlIn('hash', part), `(${where})`))
        .select(['id', 'hash'])
        .withRowId()
        .toArray()) as { id: string; hash: string; _rowid: bigint }[];
      out.push(...rows.map((r) => ({ id: r.id, hash: r.hash, rowId: r._rowid })));
    }
    return out;
  }

  /**
   * Whether which rows pass `where` is answered from memory: the vectors are held, and `where` is
   * a filter where-predicate.ts understands on the columns held.
   */
  filtersHeld(where: string): boolean {
    if (!(this.#indexed && this.#hold && this.#held.ready())) return false;
    const predicate = compileWhere(where);
    return predicate !== null && [...predicate.columns].every((c) => HELD.has(c));
  }

  /** Those of `refs` whose rows pass `where`, in their order, from memory (only where filtersHeld). */
  async passing<T extends RowRef>(refs: readonly T[], where: string): Promise<T[]> {
    if (!this.filtersHeld(where)) throw new Error(`not answerable from memory: ${where}`);
    const predicate = compileWhere(where)!;
    const rows = await this.#held.rows(refs.map((r) => r.rowId));
    return refs.filter((r) => {
      const row = rows.get(r.rowId);
      return row !== undefined && predicate.test(row);
    });
  }

  /** The exact scores of these rows against `vector`, from memory (only where filtersHeld). */
  async heldScores(vector: Float32Array, refs: readonly RowRef[]): Promise<Map<bigint, number>> {
    const scored = await this.#held.rescore(
      vector,
      refs.map((r) => r.rowId),
      refs.length,
      ['id'],
    );
    return new Map(scored.map((s) => [s.rowId, s.score]));
  }

  /**
   * What search results show of these rows: from memory where the vectors are held, else read by
   * row id (at 100,000 photos 4-5 ms for 20, where reading them by id through the B-tree took 10).
   * A row rewritten since it was ranked, and not held, is read by id.
   */
  async hitMetas(refs: readonly RowRef[]): Promise<HitMeta[]> {
    if (refs.length === 0) return [];
    const held = this.#held.metas(refs.map((r) => r.rowId));
    const toRead = refs.filter((r) => !held.has(r.rowId));
    const rows =
      toRead.length === 0
        ? []
        : ((await this.#photos
            .takeRowIds(toRead.map((r) => r.rowId))
            .select([...HIT_COLUMNS])
            .toArray()) as Record<string, unknown>[]);
    const out = [...held.values(), ...rows].map(
      (r) => pick(r as Record<string, unknown>, HIT_COLUMNS) as unknown as HitMeta,
    );
    const found = new Set(out.map((m) => m.id));
    const gone = refs.filter((r) => !found.has(r.id)).map((r) => r.id);
    if (gone.length > 0) out.push(...(await this.#byIds(gone)));
    return out;
  }
}
