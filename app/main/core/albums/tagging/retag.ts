import { thumbPath } from '../../index/thumbs.ts';
import type { PhotoStore } from '../../store/photo-store.ts';
import { chunks } from '../../store/sql.ts';
import type { AlbumDb, DhashRow, TagRow } from '../user/album-db.ts';
import type { RetagSummary } from '../album-types.ts';
import type { ConceptMatrix } from './concept-vectors.ts';
import { dhashOfFile } from '../grouping/dhash.ts';
import { ScorePool } from './score-pool.ts';
import { conceptStats, decideTags, scoreMatrix } from './tag-rule.ts';
import type { ConceptStats, PhotoTags } from './tag-rule.ts';
import type { Vocabulary } from './vocab-state.ts';

export interface RetagInput {
  store: PhotoStore;
  db: AlbumDb;
  thumbsDir: string;
  vocab: Vocabulary;
  /** Rows in `vocab.concepts` order, then the generic caption. */
  matrix: ConceptMatrix;
  signal?: AbortSignal;
}

/** Photos scored and written per commit. */
const BATCH = 2048;
/** Up to this many photos to tag, fetch their vectors by hash; beyond it one pass over the table is cheaper. */
const BY_HASH_MAX = 4096;
/** Photos sampled for each concept's score distribution (the z-score). */
const STATS_SAMPLE = 2048;
const DHASH_BATCH = 256;

type VectorBatch = { hashes: string[]; vectors: Float32Array };

async function* vectorsOf(store: PhotoStore, hashes: readonly string[]): AsyncGenerator<VectorBatch> {
  const dim = store.dim;
  if (hashes.length <= BY_HASH_MAX) {
    for (const part of chunks(hashes, 500)) {
      const rows = await store.byHash(part);
      const found = part.filter((h) => rows.has(h));
      const vectors = new Float32Array(found.length * dim);
      found.forEach((h, i) => vectors.set(rows.get(h)!.vector, i * dim));
      yield { hashes: found, vectors };
    }
    return;
  }
  const wanted = new Set(hashes);
  let pending: VectorBatch = { hashes: [], vectors: new Float32Array(BATCH * dim) };
  for await (const b of store.vectorBatches()) {
    for (let i = 0; i < b.hashes.length; i++) {
      const h = b.hashes[i]!;
      // Deleting as we go also drops later copies of the same content.
      if (!wanted.delete(h)) continue;
      pending.vectors.set(b.vectors.subarray(i * dim, (i + 1) * dim), pending.hashes.length * dim);
      pending.hashes.push(h);
      if (pending.hashes.length === BATCH) {
        yield pending;
        pending = { hashes: [], vectors: new Float32Array(BATCH * dim) };
      }
    }
  }
  if (pending.hashes.length > 0)
    yield { hashes: pending.hashes, vectors: pending.vectors.subarray(0, pending.hashes.length * dim) };
}

async function sampleStats(store: PhotoStore, matrix: ConceptMatrix, pool: ScorePool): Promise<ConceptStats> {
  const width = matrix.count + 1;
  const parts: Float32Array[] = [];
  let rows = 0;
  for await (const b of store.vectorBatches(STATS_SAMPLE)) {
    parts.push(await pool.score(b.vectors, b.hashes.length, matrix.vectors, width, matrix.dim));
    rows += b.hashes.length;
  }
  const all = new Float32Array(rows * width);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return conceptStats(all, rows, width);
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function tagRow(hash: string, decided: PhotoTags, vocab: Vocabulary, now: number): TagRow {
  const tags = decided.tags.map((t) => [vocab.concepts[t.index]!.id, round(t.score), round(t.prob)]);
  return { hash, vocab: vocab.key, tags: JSON.stringify(tags), sensitive: decided.sensitive, tagged_at: now };
}

/** Scores a batch of photos against every concept and the generic caption, and decides. */
export async function tagBatch(
  vectors: Float32Array,
  n: number,
  matrix: ConceptMatrix,
  vocab: Vocabulary,
  stats: ConceptStats | null,
  pool?: ScorePool,
): Promise<PhotoTags[]> {
  const width = matrix.count + 1;
  const scores = pool
    ? await pool.score(vectors, n, matrix.vectors, width, matrix.dim)
    : scoreMatrix(vectors, n, matrix.vectors, width, matrix.dim);
  const sensitive = Uint8Array.from(vocab.concepts, (c) => (c.sensitive ? 1 : 0));
  return decideTags(scores, n, matrix.count, sensitive, stats, vocab.rule);
}

/**
 * Tags every photo not yet tagged under the current vocabulary key (new photos; all of them after
 * a vocabulary, rule or model change), one commit per batch so an interrupted run keeps what it
 * finished; then computes missing perceptual hashes. Uses stored vectors only: no image inference.
 */
export async function retag(input: RetagInput): Promise<RetagSummary> {
  const { store, db, vocab, signal } = input;
  const hashes = await store.knownHashes();
  const done = new Map((await db.rows<TagRow>('tags', undefined, ['hash', 'vocab'])).map((r) => [r.hash, r.vocab]));
  const todo = [...hashes].filter((h) => done.get(h) !== vocab.key);
  const tagged = todo.length > 0 ? await tagAll(input, todo, hashes.size) : 0;
  const hashed = signal?.aborted ? 0 : await fillDhashes(db, hashes, input.thumbsDir, signal);
  if (tagged + hashed > 0 && !signal?.aborted) await db.maintain();
  return { photos: hashes.size, tagged, hashed, vocabulary: vocab.key, interrupted: signal?.aborted ?? false };
}

async function tagAll(input: RetagInput, todo: readonly string[], libraryPhotos: number): Promise<number> {
  const { store, db, vocab, matrix, signal } = input;
  // Opened for any number of photos (a few ms): onnxruntime's product beats JS even on one batch.
  const pool = ScorePool.create(undefined, { logitScale: vocab.rule.logitScale });
  let tagged = 0;
  try {
    const stats = libraryPhotos >= vocab.rule.minStatsPhotos ? await sampleStats(store, matrix, pool) : null;
    for await (const batch of vectorsOf(store, todo)) {
      if (signal?.aborted) break;
      const decided = await tagBatch(batch.vectors, batch.hashes.length, matrix, vocab, stats, pool);
      const now = Date.now();
      await db.merge(
        'tags',
        'hash',
        batch.hashes.map((h, i) => tagRow(h, decided[i]!, vocab, now)),
      );
      tagged += batch.hashes.length;
    }
  } finally {
    await pool.close();
  }
  return tagged;
}

async function fillDhashes(db: AlbumDb, hashes: Set<string>, thumbsDir: string, signal?: AbortSignal): Promise<number> {
  const have = new Set((await db.rows<DhashRow>('photo_dhash')).filter((r) => r.dhash !== '').map((r) => r.hash));
  const missing = [...hashes].filter((h) => !have.has(h));
  let hashed = 0;
  for (const part of chunks(missing, DHASH_BATCH)) {
    if (signal?.aborted) break;
    // sharp runs these on libuv's pool, a few at a time; '' marks a thumbnail that could not be read.
    const rows = await Promise.all(
      part.map(async (hash): Promise<DhashRow> => ({
        hash,
        dhash: await dhashOfFile(thumbPath(thumbsDir, hash)).catch(() => ''),
      })),
    );
    await db.merge('photo_dhash', 'hash', rows);
    hashed += rows.filter((r) => r.dhash !== '').length;
  }
  return hashed;
}
