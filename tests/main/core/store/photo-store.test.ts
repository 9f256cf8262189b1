import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { META_COLUMNS } from '#core/store/photo-schema.ts';
import type { PhotoRow } from '#core/store/photo-schema.ts';
import { deleteRootEverywhere } from '#core/store/library-tables.ts';
import { INDEX_THRESHOLD, PhotoStore } from '#core/store/photo-store.ts';
import { photoRow } from '#support/photo-row.ts';
import { unitVectors } from '#support/unit-vectors.ts';

const DIM = 16;

const vectors = (n: number, seed: number): Float32Array => unitVectors(n, DIM, seed);

function row(i: number, vector: Float32Array, root = '/photos'): PhotoRow {
  return photoRow({
    id: `id${i}`,
    path: `${root}/d${i % 7}/it's ${i}.jpg`,
    root,
    size: 1000 + i,
    mtime: 1_700_000_000_000 + i,
    hash: `h${i}`,
    date_ms: 1_700_000_000_000 + i,
    vector,
  });
}

describe('PhotoStore (LanceDB on disk)', () => {
  let dir: string;
  let store: PhotoStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-store-'));
    store = await PhotoStore.open(dir, 'test-model', DIM);
  });
  afterAll(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('upserts by path, finds by hash and path, and deletes under a folder', async () => {
    const v = vectors(3, 1);
    await store.upsert([0, 1, 2].map((i) => row(i, v.slice(i * DIM, (i + 1) * DIM))));
    await store.upsert([{ ...row(1, v.slice(0, DIM)), size: 5 }]);
    expect(await store.count()).toBe(3);
    expect((await store.knownFiles('/photos')).get("/photos/d1/it's 1.jpg")).toEqual({
      size: 5,
      mtime: 1_700_000_000_001,
      hash: 'h1',
    });
    const byHash = await store.byHash(['h2', 'nope']);
    expect([...byHash.keys()]).toEqual(['h2']);
    expect(byHash.get('h2')!.vector).toHaveLength(DIM);
    await store.recordFailures([
      { path: '/photos/d0/bad.jpg', root: '/photos', size: 1, mtime: 1, reason: 'empty file', failed_at: 0 },
    ]);
    await store.deleteUnder('/photos/d0', '/');
    expect(await store.count()).toBe(2);
    expect(await store.knownHashes()).toEqual(new Set(['h1', 'h2']));
    expect(await store.failures.list()).toEqual([]);
    expect(await deleteRootEverywhere(dir, '/photos')).toBe(2);
    // Removed through a connection of its own: the store sees it once refreshed (the engine does).
    await store.refresh();
    expect(await store.count()).toBe(0);
  });

  it("sees its own writes at once, another connection's photos once refreshed or within moments, and its failures at once", async () => {
    const other = await PhotoStore.open(dir, 'test-model', DIM);
    try {
      const v = vectors(3, 7);
      await store.upsert([row(10, v.slice(0, DIM))]);
      expect(await store.count()).toBe(1);
      await other.upsert([row(11, v.slice(DIM, 2 * DIM))]);
      await store.refresh();
      expect(await store.count()).toBe(2);
      // Unrefreshed, the next check of the table's version (SEARCHED_STALENESS_S) finds it.
      await other.upsert([row(12, v.slice(2 * DIM))]);
      const deadline = performance.now() + 10_000;
      while ((await store.count()) !== 3 && performance.now() < deadline)
        await new Promise((resolve) => setImmediate(resolve));
      expect(await store.count()).toBe(3);
      // Failures are read with every check: what another connection records is there at once.
      await other.recordFailures([
        { path: '/photos/bad.jpg', root: '/photos', size: 1, mtime: 1, reason: 'empty file', failed_at: 0 },
      ]);
      expect((await store.failures.list()).map((f) => f.path)).toEqual(['/photos/bad.jpg']);
      await store.deleteUnder('/photos', '/');
      await other.refresh();
      expect(await other.count()).toBe(0);
    } finally {
      other.close();
    }
  });

  it('reads rows whole, nulls as null and zeros as zero', async () => {
    const v = vectors(2, 3);
    await store.upsert([
      { ...row(0, v.slice(0, DIM)), gps_lat: 0, gps_lon: 0, place: 'Null Island', country: 'Sea' },
      row(1, v.slice(DIM)),
    ]);
    const [atZero, nowhere] = (await store.rows()).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(atZero).toMatchObject({ id: 'id0', gps_lat: 0, gps_lon: 0, place: 'Null Island', taken_at: null });
    expect(nowhere).toMatchObject({ id: 'id1', gps_lat: null, gps_lon: null, place: null, duration_ms: null });
    expect(Object.keys(nowhere!).sort()).toEqual([...META_COLUMNS].sort());
    expect(await deleteRootEverywhere(dir, '/photos')).toBe(2);
  });

  it('refuses to open a table with a different vector size', async () => {
    await expect(PhotoStore.open(dir, 'test-model', DIM + 1)).rejects.toThrow(/16-dimensional/);
  });

  it(`searches exactly below ${INDEX_THRESHOLD} rows and builds an ANN index above, keeping recall`, async () => {
    const n = INDEX_THRESHOLD + 500;
    const v = vectors(n, 7);
    const rows: PhotoRow[] = [];
    for (let i = 0; i < n; i++) rows.push(row(i, v.slice(i * DIM, (i + 1) * DIM)));
    for (let i = 0; i < n; i += 5000) await store.upsert(rows.slice(i, i + 5000));
    const last = n - 1;
    const queries = [3, 999, last].map((i) => v.slice(i * DIM, (i + 1) * DIM));
    const exact = await Promise.all(queries.map((q) => store.search(q, 10)));
    expect(exact.map((hits) => hits[0]!.meta.id)).toEqual(['id3', 'id999', `id${last}`]);
    expect(exact[0]![0]!.score).toBeCloseTo(1, 4);
    expect((await store.maintain()).indexed).toBe(true);
    const approx = await Promise.all(queries.map((q) => store.search(q, 10)));
    let overlap = 0;
    approx.forEach((hits, qi) => {
      const truth = new Set(exact[qi]!.map((h) => h.meta.id));
      overlap += hits.filter((h) => truth.has(h.meta.id)).length;
    });
    expect(overlap / 30).toBeGreaterThanOrEqual(0.9);
    expect(approx.map((hits) => hits[0]!.meta.id)).toEqual(['id3', 'id999', `id${last}`]);
    // Filters go through the scalar indexes built beside it, and still hold.
    const recent = await store.scores(queries[0]!, 10, `date_ms >= ${1_700_000_000_000 + n - 100}`);
    expect(recent).toHaveLength(10);
    expect(recent.every((r) => Number(r.id.slice(2)) >= n - 100)).toBe(true);
    const byContent = await store.idsOfHashes(['h3', 'h999', 'h4000'], 'date_ms < 1700000001000');
    expect(byContent.map((r) => r.id).sort()).toEqual(['id3', 'id999']);
    // Names through the full-text index: whole words of the path below the root.
    expect((await store.names(['999'], '', 10)).map((r) => r.id)).toEqual(['id999']);
    expect((await store.names(['d4', '999'], '', 10)).map((r) => r.id)).toEqual([]);
    expect((await store.names(['d3', '4000'], 'date_ms > 0', 10)).map((r) => r.id)).toEqual(['id4000']);
    expect(await store.names(['photos'], '', 10)).toEqual([]);
  }, 120_000);
});
