// The indexes a table of vectors gets as it grows: built once they pay, rebuilt when the table has
// doubled since. Rows added after a build are still found: LanceDB scans unindexed fragments
// exactly, and optimize() folds them into the scalar indexes.
import * as lancedb from '@lancedb/lancedb';

/**
 * Below this many rows an exact scan is fast enough (~20 ms at 5,000 × 512-d on one core) and
 * perfectly accurate; above it the exact scan grows past what search-as-you-type can afford.
 */
export const INDEX_THRESHOLD = 5_000;

/**
 * Columns photo searches filter on. Without them, reading browse pages by id scans the id column
 * (15 ms for 20 ids at 100,000 photos), and a search within a year or a town scans the filtered
 * columns before ranking: 15 and 18 ms at 100,000 photos, 11 and 9 with them. They take 0.1 s to
 * build at that size (the names' full-text index 0.5 s).
 */
const PHOTO_INDEXES: [string, () => lancedb.Index][] = [
  ['id', () => lancedb.Index.btree()],
  // Items by content: text matches, video frames and exclusions are found by hash.
  ['hash', () => lancedb.Index.btree()],
  ['date_ms', () => lancedb.Index.btree()],
  // Few distinct values each: a bitmap per value.
  ['place', () => lancedb.Index.bitmap()],
  ['region', () => lancedb.Index.bitmap()],
  ['country', () => lancedb.Index.bitmap()],
  ['kind', () => lancedb.Index.bitmap()],
  // Folder and file names, word by word (name-search.ts).
  ['path', () => lancedb.Index.fts({ baseTokenizer: 'simple', withPosition: false })],
];

/** The ANN index over `vector` once there are `threshold` rows; true when the table has one. */
export async function indexVectors(table: lancedb.Table, threshold = INDEX_THRESHOLD): Promise<boolean> {
  return vectorIndex(table, await table.countRows(), await table.listIndices(), threshold);
}

async function vectorIndex(
  table: lancedb.Table,
  rows: number,
  indices: readonly lancedb.IndexConfig[],
  threshold: number,
): Promise<boolean> {
  const index = indices.find((i) => i.columns.includes('vector'));
  // From the listing, not indexStats(), which logs a LanceDB deprecation warning at every call.
  const indexedRows = index?.numIndexedRows ?? 0;
  if (rows >= threshold && (!index || rows >= indexedRows * 2)) {
    await table.createIndex('vector', {
      // IVF-HNSW-SQ: measured here on 20k random 512-d vectors, recall@10 0.93-0.97 at
      // 2-8 ms, where IVF-PQ reached 0.36-0.53; scalar quantisation keeps the index small.
      config: lancedb.Index.hnswSq({ distanceType: 'cosine' }),
      replace: true,
    });
    return true;
  }
  return index !== undefined;
}

/** The photos table's vector index and the scalar and full-text indexes its searches use. */
export async function indexPhotos(table: lancedb.Table): Promise<{ vector: boolean; names: boolean }> {
  const rows = await table.countRows();
  const indices = await table.listIndices();
  const vector = await vectorIndex(table, rows, indices, INDEX_THRESHOLD);
  if (rows < INDEX_THRESHOLD) return { vector, names: false };
  for (const [column, config] of PHOTO_INDEXES)
    if (!indices.some((i) => i.columns.includes(column))) await table.createIndex(column, { config: config() });
  return { vector, names: true };
}
