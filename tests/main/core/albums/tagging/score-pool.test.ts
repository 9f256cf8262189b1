import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScorePool } from '#core/albums/tagging/score-pool.ts';
import { decideTags, scoreMatrix, TAG_RULE } from '#core/albums/tagging/tag-rule.ts';
import type { ScoreMatrix } from '#core/albums/tagging/tag-rule.ts';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** L2-normalised rows of noise, like CLIP embeddings. */
function unitRows(rows: number, dim: number, seed: number): Float32Array {
  const rand = rng(seed);
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += (out[i * dim + k] = rand() + rand() + rand() - 1.5) ** 2;
    for (let k = 0; k < dim; k++) out[i * dim + k]! /= Math.sqrt(norm);
  }
  return out;
}

/**
 * Entries that are small multiples of 1/16: every partial sum is exact in float32, so both paths
 * give the same bits whatever order their kernels add in, and no tag can flip on a rounding.
 */
function gridRows(rows: number, dim: number, seed: number): Float32Array {
  const rand = rng(seed);
  return Float32Array.from({ length: rows * dim }, () => (Math.floor(rand() * 5) - 2) / 16);
}

function softmaxRows(scores: Float32Array, n: number, c: number): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = Array.from(scores.subarray(i * (c + 1), i * (c + 1) + c));
    const max = Math.max(...row);
    const exps = row.map((s) => Math.exp(TAG_RULE.logitScale * (s - max)));
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, j) => (out[i * c + j] = e / total));
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('ScorePool on onnxruntime', () => {
  let pool: ScorePool;
  beforeAll(() => {
    pool = ScorePool.create(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('opens a session here, so the tests below compare the two paths', async () => {
    expect(await pool.backend()).toBe('onnxruntime');
  });

  it('gives the JS matrix within float rounding, and the softmax of the concept columns', async () => {
    const [n, m, d] = [1500, 41, 512];
    const photos = unitRows(n, d, 1);
    const concepts = unitRows(m, d, 2);
    const got: ScoreMatrix = await pool.score(photos, n, concepts, m, d);
    const want = scoreMatrix(photos, n, concepts, m, d);
    expect(maxDiff(got, want)).toBeLessThan(1e-6);
    expect(maxDiff(got.probs!, softmaxRows(want, n, m - 1))).toBeLessThan(2e-5);
  });

  it('reads only the first n photo rows, and scores a batch bigger than one run in pieces', async () => {
    const [n, m, d] = [8192 * 2 + 37, 5, 8];
    const photos = gridRows(n + 3, d, 3);
    const concepts = gridRows(m, d, 4);
    const got = await pool.score(photos, n, concepts, m, d);
    expect(Array.from(got)).toEqual(Array.from(scoreMatrix(photos, n, concepts, m, d)));
    expect(got.probs).toHaveLength(n * (m - 1));
    const few = await pool.score(photos, 3, concepts, m, d);
    expect(Array.from(few)).toEqual(Array.from(got.subarray(0, 3 * m)));
    // A batch whose photos all left the store between listing and reading.
    const none = await pool.score(photos, 0, concepts, m, d);
    expect([none.length, none.probs?.length]).toEqual([0, 0]);
  });

  it('follows a new concept matrix (a vocabulary change) on the same session', async () => {
    const photos = unitRows(10, 16, 5);
    for (const seed of [6, 7]) {
      const concepts = unitRows(9, 16, seed);
      expect(
        maxDiff(await pool.score(photos, 10, concepts, 9, 16), scoreMatrix(photos, 10, concepts, 9, 16)),
      ).toBeLessThan(1e-6);
    }
  });

  it('leaves the tags as the JS path decides them', async () => {
    const [n, c, d] = [2000, 60, 64];
    const photos = gridRows(n, d, 8);
    const concepts = gridRows(c + 1, d, 9);
    const sensitive = new Uint8Array(c).fill(1, c - 4);
    const stats = { mean: new Float32Array(c + 1).fill(0.1), std: new Float32Array(c + 1).fill(0.2), photos: 1000 };
    const viaOrt = decideTags(await pool.score(photos, n, concepts, c + 1, d), n, c, sensitive, stats);
    const viaJs = decideTags(scoreMatrix(photos, n, concepts, c + 1, d), n, c, sensitive, stats);
    const picked = (r: typeof viaJs): unknown[] => r.map((p) => [p.sensitive, p.tags.map((t) => [t.index, t.score])]);
    expect(picked(viaOrt)).toEqual(picked(viaJs));
    expect(
      maxDiff(
        viaOrt.flatMap((p) => p.tags.map((t) => t.prob)),
        viaJs.flatMap((p) => p.tags.map((t) => t.prob)),
      ),
    ).toBeLessThan(1e-5);
    // Not a vacuous comparison: the data exercise both the ordinary and the sensitive path.
    expect(viaJs.filter((p) => p.tags.length > 0).length).toBeGreaterThan(n / 4);
    expect(viaJs.some((p) => p.sensitive)).toBe(true);
  });
});
