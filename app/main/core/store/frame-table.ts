import type * as lancedb from '@lancedb/lancedb';
import { INDEX_THRESHOLD, indexVectors } from './table-indexes.ts';
import { frameSchema } from './photo-schema.ts';
import type { FrameRow } from './photo-schema.ts';
import { withRetry } from './retry.ts';
import { chunks, sqlIn } from './sql.ts';
import { toVector } from './vector-column.ts';
import { RowVectors } from './row-vectors.ts';

export interface FrameHit {
  hash: string;
  atMs: number;
  score: number;
}

/** A search's frames, and how far down it read. */
export interface FrameReading {
  /** The best frame of each video found, best first. */
  hits: FrameHit[];
  /** No frame left unread scores above this (-Infinity where every frame was read). */
  bound: number;
  /** Whether search() would have read no more frames for as many videos. */
  complete: boolean;
}

/**
 * The most frames one search reads. Refining costs per frame (at 20,000 frames 9 ms for 200, 18
 * for 800), and a video whose best frame ranks below the 200th is found by its poster's row.
 */
const MAX_FRAMES = 200;

/**
 * The sampled frames of every video under one model, keyed by the video's content hash: a moved
 * or copied video keeps its frames, and a search finds a video by its best-matching moment.
 */
export class FrameTable {
  readonly #table: lancedb.Table;
  #indexed: boolean;
  /** Vectors held in memory once indexed, as for photos (row-vectors.ts). */
  readonly #held: RowVectors<{ hash: string; at_ms: number }>;
  #hold: boolean;

  private constructor(table: lancedb.Table, indexed: boolean, dim: number, hold: boolean) {
    this.#table = table;
    this.#indexed = indexed;
    this.#held = new RowVectors(table, dim, ['hash', 'at_ms']);
    this.#hold = hold;
  }

  static async open(db: lancedb.Connection, name: string, dim: number, hold = false): Promise<FrameTable> {
    const table = await db.createEmptyTable(name, frameSchema(dim), { existOk: true });
    return new FrameTable(
      table,
      (await table.listIndices()).some((i) => i.columns.includes('vector')),
      dim,
      hold,
    );
  }

  /** Holds the vectors from now on, once indexed, and waits until they are read (PhotoStore.holdVectors). */
  async holdVectors(): Promise<void> {
    this.#hold = true;
    if (this.#indexed) await this.#held.loaded();
  }

  /** Replaces the frames of each video in `rows` (one commit to remove, one to add). */
  async replace(rows: readonly FrameRow[]): Promise<void> {
    if (rows.length === 0) return;
    const hashes = [...new Set(rows.map((r) => r.hash))];
    for (const part of chunks(hashes, 500))
      await withRetry('replace video frames', () => this.#table.delete(sqlIn('hash', part)));
    await withRetry('save video frames', () => this.#table.add(rows.map((r) => ({ ...r }))));
  }

  /**
   * The best frame of each of the videos closest to `vector`. Several frames of one video are
   * usually near each other, so more frames than videos are asked for.
   */
  async search(vector: Float32Array, videos: number): Promise<FrameHit[]> {
    return (await this.nearest(vector, videos)).hits;
  }

  /**
   * As search, from the `frames` frames nearest `vector` (fewer than search reads, for a caller
   * that knows how few can matter; a function of how many frames the table holds), with the score
   * of the weakest frame read.
   */
  async nearest(
    vector: Float32Array,
    videos: number,
    frames: number | ((total: number) => number) = MAX_FRAMES,
  ): Promise<FrameReading> {
    const total = await this.#table.countRows();
    if (total === 0) return { hits: [], bound: -Infinity, complete: true };
    const wanted = Math.min(typeof frames === 'number' ? frames : frames(total), videos * 4, MAX_FRAMES);
    const rows =
      this.#indexed && this.#hold && this.#held.ready()
        ? await this.#heldSearch(vector, wanted)
        : await this.#search(vector, wanted);
    const best = new Map<string, FrameHit>();
    let bound = Infinity;
    for (const r of rows) {
      bound = Math.min(bound, r.score);
      const seen = best.get(r.hash);
      if (!seen || r.score > seen.score) best.set(r.hash, { hash: r.hash, atMs: r.at_ms, score: r.score });
    }
    // Fewer rows than asked (some gone since the index was built) is not every frame read.
    const all = total <= wanted;
    return {
      hits: [...best.values()].sort((a, b) => b.score - a.score).slice(0, videos),
      bound: all ? -Infinity : bound,
      complete: all || wanted === Math.min(videos * 4, MAX_FRAMES),
    };
  }

  async #search(vector: Float32Array, frames: number): Promise<{ hash: string; at_ms: number; score: number }[]> {
    let q = this.#table
      .vectorSearch(vector)
      .distanceType('cosine')
      .limit(frames)
      .select(['hash', 'at_ms', '_distance']);
    // As for photos: the frames re-ranked on full vectors, so their scores are exact.
    if (this.#indexed) q = q.nprobes(20).refineFactor(1);
    const rows = (await q.toArray()) as { hash: string; at_ms: number; _distance: number }[];
    return rows.map((r) => ({ hash: r.hash, at_ms: r.at_ms, score: 1 - r._distance }));
  }

  /** Re-scored from the vectors held, as photos are (row-vectors.ts). */
  async #heldSearch(vector: Float32Array, frames: number): Promise<{ hash: string; at_ms: number; score: number }[]> {
    return (await this.#held.search(vector, frames)).map(({ row, score }) => ({ ...row, score }));
  }

  /** Frame vectors of each of these videos, in time order: what near-duplicate videos compare. */
  async vectorsOf(hashes: readonly string[]): Promise<Map<string, Float32Array[]>> {
    const byHash = new Map<string, { atMs: number; vector: Float32Array }[]>();
    for (const part of chunks([...new Set(hashes)], 500)) {
      const rows = (await this.#table
        .query()
        .where(sqlIn('hash', part))
        .select(['hash', 'at_ms', 'vector'])
        .toArray()) as { hash: string; at_ms: number; vector: unknown }[];
      for (const r of rows) {
        const frame = { atMs: r.at_ms, vector: toVector(r.vector) };
        const list = byHash.get(r.hash);
        if (list) list.push(frame);
        else byHash.set(r.hash, [frame]);
      }
    }
    return new Map(
      [...byHash].map(([hash, frames]) => [hash, frames.sort((a, b) => a.atMs - b.atMs).map((f) => f.vector)]),
    );
  }

  /** The frames of videos no photo row names any more (every copy deleted or re-indexed). */
  async dropOrphans(keep: ReadonlySet<string>): Promise<void> {
    const rows = (await this.#table.query().select(['hash']).toArray()) as { hash: string }[];
    const orphans = [...new Set(rows.map((r) => r.hash))].filter((h) => !keep.has(h));
    for (const part of chunks(orphans, 500))
      await withRetry('drop old video frames', () => this.#table.delete(sqlIn('hash', part)));
  }

  /**
   * The ANN index once there are enough frames (the photos table's rule: a thousand videos of ten
   * frames are 10,000 vectors, which an exact scan reads at every search), then compaction.
   */
  async maintain(threshold = INDEX_THRESHOLD): Promise<void> {
    this.#indexed = await indexVectors(this.#table, threshold);
    await this.#table.optimize({ cleanupOlderThan: new Date(Date.now() - 7 * 24 * 3600 * 1000) });
  }

  /** Reads from now on see another connection's commits too (PhotoStore.refresh). */
  async refresh(): Promise<void> {
    await this.#table.checkoutLatest();
  }

  close(): void {
    this.#held.close();
    this.#table.close();
  }
}
