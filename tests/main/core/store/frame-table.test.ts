import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameTable } from '#core/store/frame-table.ts';

const DIM = 8;
const VIDEOS = 80;
const FRAMES = 10;

/** Deterministic unit vectors (an LCG), so a failure reproduces. */
function vectors(n: number): Float32Array[] {
  let a = 12345;
  const next = (): number => (a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: DIM }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('FrameTable (LanceDB on disk)', () => {
  let dir: string;
  let db: lancedb.Connection;
  let frames: FrameTable;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-frames-'));
    db = await lancedb.connect(dir);
    frames = await FrameTable.open(db, 'frames__t', DIM);
  });
  afterAll(async () => {
    frames.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a video by its best moment, before and after its ANN index is built', async () => {
    const vs = vectors(VIDEOS * FRAMES);
    await frames.replace(
      vs.map((vector, k) => ({ hash: `v${Math.floor(k / FRAMES)}`, at_ms: (k % FRAMES) * 1000, vector })),
    );
    const target = vs[17 * FRAMES + 3]!;
    const exact = await frames.search(target, 5);
    expect(exact[0]).toMatchObject({ hash: 'v17', atMs: 3000 });
    expect(exact[0]!.score).toBeCloseTo(1, 4);
    // One hit per video, best first.
    expect(new Set(exact.map((h) => h.hash)).size).toBe(exact.length);

    await frames.maintain(VIDEOS * FRAMES);
    const table = await db.openTable('frames__t');
    expect((await table.listIndices()).map((i) => i.indexType)).toEqual(['IvfHnswSq']);
    table.close();
    const indexed = await frames.search(target, 5);
    expect(indexed[0]).toMatchObject({ hash: 'v17', atMs: 3000 });
    // Re-ranked on full vectors: the scores are the exact ones.
    expect(indexed[0]!.score).toBeCloseTo(exact[0]!.score, 5);

    // Re-ranked from the vectors held in memory (as the app's searches are): the same moments
    // and scores, and frames replaced since are found by their new vectors.
    await frames.holdVectors();
    const held = await frames.search(target, 5);
    expect(held.map((h) => [h.hash, h.atMs])).toEqual(indexed.map((h) => [h.hash, h.atMs]));
    held.forEach((h, i) => expect(h.score).toBeCloseTo(indexed[i]!.score, 4));
    const moved = vs[40 * FRAMES]!;
    await frames.replace([{ hash: 'v3', at_ms: 7000, vector: moved }]);
    const after = await frames.search(moved, 2);
    expect(after.map((h) => [h.hash, h.atMs])).toEqual([
      ['v40', 0],
      ['v3', 7000],
    ]);
    expect(after[1]!.score).toBeCloseTo(1, 4);
  });

  it('reads fewer frames where asked, and says how far down it read', async () => {
    const vs = vectors(VIDEOS * FRAMES);
    const query = vs[5 * FRAMES + 1]!;
    const all = await frames.search(query, 200);
    const few = await frames.nearest(query, 200, 24);
    // The 24 nearest frames: the best videos are found, the weakest frame read bounds the rest.
    expect(few.complete).toBe(false);
    expect(few.hits[0]).toEqual(all[0]);
    expect(few.bound).toBeCloseTo(Math.min(...few.hits.map((h) => h.score)), 6);
    for (const h of few.hits) expect(all.find((a) => a.hash === h.hash)).toEqual(h);
    // Every video missing from the few has no frame above the bound.
    for (const a of all)
      if (!few.hits.some((h) => h.hash === a.hash)) expect(a.score).toBeLessThanOrEqual(few.bound + 1e-6);
    // Asked for what search() reads, the reading is complete.
    expect(await frames.nearest(query, 200)).toMatchObject({ hits: all, complete: true });
    // A table with fewer frames than asked for is read whole: nothing is left above any score.
    const small = await FrameTable.open(db, 'frames__small', DIM);
    await small.replace(vs.slice(0, 6).map((vector, k) => ({ hash: `s${k % 2}`, at_ms: k * 1000, vector })));
    expect(await small.nearest(query, 200, 24)).toMatchObject({ bound: -Infinity, complete: true });
    expect((await small.nearest(query, 200, 24)).hits).toHaveLength(2);
    small.close();
  });
});
