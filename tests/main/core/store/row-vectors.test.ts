import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIT_COLUMNS } from '#core/store/photo-schema.ts';
import type { HitMeta, PhotoRow } from '#core/store/photo-schema.ts';
import { INDEX_THRESHOLD, PhotoStore } from '#core/store/photo-store.ts';
import { RowVectors } from '#core/store/row-vectors.ts';
import { relevantCount } from '#core/search/relevance.ts';
import { photoRow } from '#support/photo-row.ts';
import { unitVectors } from '#support/unit-vectors.ts';
import { and, sqlIn } from '#core/store/sql.ts';

// Searches of an indexed library re-rank from vectors held in memory and read the shown hits'
// columns from there (row-vectors.ts): the scores must be the exact cosines, the columns what the
// table holds, and rows written, rewritten or deleted since the read must not make either lie.

const DIM = 32;
const N = INDEX_THRESHOLD + 200;

function row(i: number, vector: Float32Array, hash = `h${i}`): PhotoRow {
  return photoRow({
    id: `id${i}`,
    path: `/photos/d${i % 9}/${i}.jpg`,
    root: '/photos',
    hash,
    width: 100 + i,
    taken_at: i % 3 === 0 ? null : 1_600_000_000_000 + i,
    date_ms: 1_600_000_000_000 + i,
    vector,
  });
}

/** Row i's vector nudged, so a query is near it without being it. */
function near(vectors: Float32Array, i: number, seed: number): Float32Array {
  const noise = unitVectors(1, DIM, seed);
  const q = vectors.slice(i * DIM, (i + 1) * DIM).map((x, k) => x + 0.3 * noise[k]!);
  const norm = Math.hypot(...q);
  return q.map((x) => x / norm);
}

const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  for (let k = 0; k < DIM; k++) dot += a[k]! * b[k]!;
  return dot / Math.hypot(...a) / Math.hypot(...b);
};

describe('vectors held in memory for searches of an indexed library', () => {
  let dir: string;
  let store: PhotoStore;
  let table: lancedb.Table;
  let db: lancedb.Connection;
  /** Each row's vector as written, by id: the exact scores are computed from these. */
  const written = new Map<string, Float32Array>();
  const vectors = unitVectors(N, DIM, 41);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-held-'));
    store = await PhotoStore.open(dir, 'm', DIM);
    const rows = Array.from({ length: N }, (_, i) => row(i, vectors.slice(i * DIM, (i + 1) * DIM)));
    await store.upsert(rows);
    for (const r of rows) written.set(r.id, r.vector);
    expect((await store.maintain()).indexed).toBe(true);
    db = await lancedb.connect(dir, { readConsistencyInterval: 0 });
    table = await db.openTable('photos__m');
  }, 120_000);
  afterAll(async () => {
    store.close();
    table.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Checks a ranking against the vectors written: exact scores, best first, the nearest row
   * first. Returns how many of the exact top `k` it holds.
   */
  function expectExact(ranked: { id: string; score: number }[], q: Float32Array, k: number): number {
    expect(ranked).toHaveLength(k);
    // Held as 16-bit components: within 1e-4 of the cosine of the vectors written.
    for (const r of ranked) expect(r.score).toBeCloseTo(cosine(q, written.get(r.id)!), 4);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score)].sort((a, b) => b - a));
    const truth = [...written]
      .map(([id, v]) => ({ id, score: cosine(q, v) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
    expect(ranked[0]!.id).toBe(truth[0]!.id);
    const got = new Set(ranked.map((r) => r.id));
    return truth.filter((t) => got.has(t.id)).length;
  }

  it('scores exactly and reads the hits as the table holds them', async () => {
    const queries = [7, 1234, N - 1].map((i, s) => near(vectors, i, 100 + s));
    // Before the vectors are held, LanceDB re-ranks; after, memory does: the same exact scores.
    const before = await Promise.all(queries.map((q) => store.scores(q, 20)));
    await store.holdVectors();
    const after = await Promise.all(queries.map((q) => store.scores(q, 20)));
    let found = 0;
    queries.forEach((q, i) => {
      expectExact(before[i]!, q, 20);
      found += expectExact(after[i]!, q, 20);
    });
    // Twice the pool's candidates, re-scored: nearly all of the exact top 20 of each query.
    expect(found / 60).toBeGreaterThanOrEqual(0.9);
    const shown = after[0]!.slice(0, 10);
    const metas = await store.hitMetas(shown);
    const whole = await store.byIds(shown.map((r) => r.id));
    expect(metas.map((m) => m.id)).toEqual(shown.map((r) => r.id));
    for (const m of metas) {
      const full = whole.find((w) => w.id === m.id)!;
      expect(m).toEqual(Object.fromEntries(HIT_COLUMNS.map((c) => [c, full[c]])));
    }
    expect(metas.some((m) => m.taken_at === null)).toBe(true);
  });

  it('tells which rows of some contents pass a filter from memory, as LanceDB does', async () => {
    await store.holdVectors();
    const lance = async (hashes: string[], where: string): Promise<string[]> =>
      (
        (await table
          .query()
          .where(and(sqlIn('hash', hashes), `(${where})`))
          .select(['id'])
          .toArray()) as { id: string }[]
      )
        .map((r) => r.id)
        .sort();
    const memory = async (hashes: string[], where: string): Promise<string[]> =>
      (await store.idsOfHashes(hashes, where)).map((r) => r.id).sort();
    const hashes = Array.from({ length: 400 }, (_, i) => `h${i * 7}`);
    for (const where of [
      'date_ms >= 1600000000500 AND date_ms < 1600000001500',
      "starts_with(path, '/photos/d3/') OR taken_at IS NULL",
      "lower(path) LIKE '%/d1/%' AND width > 1000",
      'false',
    ]) {
      const expected = await lance(hashes, where);
      expect(await memory(hashes, where), where).toEqual(expected);
      if (where !== 'false') expect(expected.length, where).toBeGreaterThan(10);
    }
    // A content rewritten and a row added after the vectors were read: met and read then.
    const old = row(700, vectors.slice(700 * DIM, 701 * DIM));
    await store.upsert([{ ...old, hash: 'h700-edited', date_ms: 1 }, row(N + 5, unitVectors(1, DIM, 9), 'h-new')]);
    written.set(`id${N + 5}`, unitVectors(1, DIM, 9));
    for (const where of ['date_ms < 1000', 'date_ms >= 1000']) {
      const some = ['h700', 'h700-edited', 'h-new', 'h701'];
      expect(await memory(some, where), where).toEqual(await lance(some, where));
    }
    expect(await memory(['h700', 'h700-edited'], 'date_ms < 1000')).toEqual(['id700']);
    await store.deletePaths([row(N + 5, vectors).path]);
    written.delete(`id${N + 5}`);
  });

  it('a ranking for an exclusion (topOnly) finds every item within the relevance cut', async () => {
    // An exclusion uses only what matches the excluded words, so its search explores the
    // index no wider than the candidates it returns: the matches must all still be found.
    const plain = await PhotoStore.open(dir, 'm', DIM);
    await store.holdVectors();
    let largest = 0;
    try {
      for (let k = 0; k < 12; k++) {
        // Near one photo (a cut of one), or near none (a cut of the few that stand out).
        const q = k % 2 === 0 ? near(vectors, (k * 397) % N, 100 + k) : unitVectors(1, DIM, 100 + k);
        const exact = [...written.entries()]
          .map(([id, v]) => ({ id, score: cosine(q, v) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 200);
        const cut = new Set(exact.slice(0, relevantCount(exact.map((e) => e.score))).map((e) => e.id));
        largest = Math.max(largest, cut.size);
        for (const [how, s] of [
          ['held', store],
          ['LanceDB', plain],
        ] as const) {
          const found = new Set((await s.scores(q, 200, '', true)).map((h) => h.id));
          expect(
            [...cut].filter((id) => !found.has(id)),
            `${how}, query ${k}`,
          ).toEqual([]);
        }
      }
      // Some queries match a few dozen items, not only the one they were made near.
      expect(largest).toBeGreaterThan(10);
    } finally {
      plain.close();
    }
  });

  it('holds what it read, and reads rows written since as a search meets them', async () => {
    const held = new RowVectors<HitMeta>(table, DIM, HIT_COLUMNS);
    expect(held.ready()).toBe(false);
    await held.loaded();
    expect(held.ready()).toBe(true);
    /** Row id → the vector that row holds, for the rows of these ids as the table is now. */
    const rowsOf = async (ids: string[]): Promise<Map<bigint, Float32Array>> => {
      const rows = (await table
        .query()
        .where(`id IN (${ids.map((id) => `'${id}'`).join(', ')})`)
        .select(['id'])
        .withRowId()
        .toArray()) as { id: string; _rowid: bigint }[];
      return new Map(rows.map((r) => [r._rowid, written.get(r.id)!]));
    };
    const first = await rowsOf(['id1', 'id2']);
    expect(held.metas([...first.keys()]).size).toBe(2);

    // A row rewritten with a new content and vector, and one new row: not held until met.
    const moved = unitVectors(2, DIM, 77);
    const rewritten = row(2, moved.slice(0, DIM), 'h2-edited');
    const added = row(N, moved.slice(DIM), `h${N}`);
    await store.upsert([rewritten, added]);
    written.set('id2', rewritten.vector);
    written.set(`id${N}`, added.vector);
    const fresh = await rowsOf(['id2', `id${N}`]);
    expect(held.metas([...fresh.keys()]).size).toBe(0);
    // The old row of id2 still scores its old vector: a search that returned it saw that row.
    const all = new Map([...first, ...fresh]);
    const q = near(moved, 1, 5);
    const scored = await held.rescore(q, [...all.keys()], 4);
    expect(scored).toHaveLength(4);
    for (const s of scored) expect(s.score).toBeCloseTo(cosine(q, all.get(s.rowId)!), 4);
    const metas = held.metas([...fresh.keys()]);
    expect([...metas.values()].map((m) => m.hash).sort()).toEqual(['h2-edited', `h${N}`]);

    // Through the store: the new row is found by its vector, the rewritten one by its new content.
    const top = await store.scores(added.vector, 1);
    expect(top.map((t) => `${t.id}:${t.hash}`)).toEqual([`id${N}:h${N}`]);
    expect((await store.scores(rewritten.vector, 1)).map((t) => `${t.id}:${t.hash}`)).toEqual(['id2:h2-edited']);
    // A deleted row is not ranked.
    await store.deletePaths([added.path]);
    written.delete(`id${N}`);
    expect((await store.scores(added.vector, 5)).map((t) => t.id)).not.toContain(`id${N}`);
    held.close();
  });

  it('reads everything again once a quarter of what it holds has been rewritten', async () => {
    const held = new RowVectors<HitMeta>(table, DIM, HIT_COLUMNS);
    await held.loaded();
    const replacement = unitVectors(1500, DIM, 99);
    const rows = Array.from({ length: 1500 }, (_, i) => row(i, replacement.slice(i * DIM, (i + 1) * DIM), `r${i}`));
    await store.upsert(rows);
    for (const r of rows) written.set(r.id, r.vector);
    const rowIds = (
      (await table.query().where(`hash LIKE 'r%'`).select(['id']).withRowId().toArray()) as { _rowid: bigint }[]
    ).map((r) => r._rowid);
    expect(rowIds).toHaveLength(1500);
    // Meeting 1,500 new rows (over a quarter of 5,200) starts the reread; it holds them too.
    const q = near(replacement, 10, 3);
    await held.rescore(q, rowIds, 10);
    await held.loaded();
    expect(held.metas(rowIds).size).toBe(1500);
    expect(expectExact(await store.scores(q, 10), q, 10)).toBeGreaterThanOrEqual(8);
    held.close();
  });

  it('holds nothing past its row limit', async () => {
    const held = new RowVectors<HitMeta>(table, DIM, HIT_COLUMNS, 100);
    await held.loaded();
    expect(held.ready()).toBe(false);
    held.close();
  });

  it('starts holding when a search is about to be typed, only in a store that holds (the app)', async () => {
    const app = await PhotoStore.open(dir, 'm', DIM, { holdVectors: true });
    const cli = await PhotoStore.open(dir, 'm', DIM);
    try {
      expect(app.vectorsHeld).toBe(false);
      await app.prepareHeld();
      expect(app.vectorsHeld).toBe(true);
      // The first search is then exact from memory, with no read of its own to wait for.
      const q = near(vectors, 42, 9);
      expectExact(await app.scores(q, 10), q, 10);
      // A one-shot command's store does not read 100 MB for a search it may never make.
      await cli.prepareHeld();
      expect(cli.vectorsHeld).toBe(false);
    } finally {
      app.close();
      cli.close();
    }
  });
});

describe('vectors held in memory, at a width the SIMD kernel does not take', () => {
  it('scores exactly with the JavaScript loop (12 components)', async () => {
    const dim = 12;
    const dir = await mkdtemp(join(tmpdir(), 'shoebox-held12-'));
    const store = await PhotoStore.open(dir, 'w', dim);
    const vectors = unitVectors(40, dim, 5);
    const rows = Array.from({ length: 40 }, (_, i) => row(i, vectors.slice(i * dim, (i + 1) * dim)));
    await store.upsert(rows);
    const db = await lancedb.connect(dir);
    const table = await db.openTable('photos__w');
    const held = new RowVectors<{ id: string }>(table, dim, ['id']);
    try {
      await held.loaded();
      const q = unitVectors(1, dim, 6);
      const ids = (await table.query().select(['id']).withRowId().toArray()) as { id: string; _rowid: bigint }[];
      const scored = await held.rescore(
        q,
        ids.map((r) => r._rowid),
        40,
      );
      expect(scored).toHaveLength(40);
      const exact = (id: string): number => {
        const i = Number(id.slice(2));
        let dot = 0;
        for (let k = 0; k < dim; k++) dot += q[k]! * vectors[i * dim + k]!;
        return dot;
      };
      for (const s of scored) expect(s.score, s.row.id).toBeCloseTo(exact(s.row.id), 4);
      // Best first.
      for (let i = 1; i < scored.length; i++) expect(scored[i]!.score).toBeLessThanOrEqual(scored[i - 1]!.score);
    } finally {
      held.close();
      table.close();
      db.close();
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
