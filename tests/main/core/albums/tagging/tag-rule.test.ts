import { describe, expect, it } from 'vitest';
import { ScorePool } from '#core/albums/tagging/score-pool.ts';
import { conceptStats, decideTags, scoreMatrix, TAG_RULE } from '#core/albums/tagging/tag-rule.ts';
import type { ConceptStats } from '#core/albums/tagging/tag-rule.ts';

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

function naive(p: Float32Array, n: number, c: Float32Array, m: number, d: number): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += p[i * d + k]! * c[j * d + k]!;
      out[i * m + j] = s;
    }
  return out;
}

/** One photo's row: the concepts' cosines, then the generic caption's. */
function rows(...photos: { scores: number[]; generic: number }[]): Float32Array {
  return Float32Array.from(photos.flatMap((p) => [...p.scores, p.generic]));
}

const none = new Uint8Array(8);
const tagged = (r: ReturnType<typeof decideTags>[number]): number[] => r.tags.map((t) => t.index).sort((a, b) => a - b);

describe('scoreMatrix', () => {
  it('matches the plain triple loop for sizes that leave remainders in every block', () => {
    for (const [n, m, d] of [
      [7, 9, 13],
      [33, 70, 16],
      [4, 4, 512],
      [1, 131, 5],
    ] as const) {
      const p = random(n * d, n + 1);
      const c = random(m * d, m + 2);
      const got = scoreMatrix(p, n, c, m, d);
      const want = naive(p, n, c, m, d);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    }
  });

  it('gives the same matrix when split over worker threads', async () => {
    const [n, m, d] = [1001, 37, 24];
    const p = random(n * d, 3);
    const c = random(m * d, 4);
    const pool = ScorePool.create(3, { backend: 'js' });
    try {
      expect(Array.from(await pool.score(p, n, c, m, d))).toEqual(Array.from(scoreMatrix(p, n, c, m, d)));
      expect(Array.from(await pool.score(p, 10, c, m, d))).toEqual(Array.from(scoreMatrix(p, 10, c, m, d)));
    } finally {
      await pool.close();
    }
  });
});

describe('decideTags: the calibrated rule', () => {
  it('tags the concept a photo is clearly about, with a softmax probability near 1', () => {
    const [r] = decideTags(rows({ scores: [0.32, 0.21, 0.2, 0.19], generic: 0.2 }), 1, 4, none, null);
    expect(tagged(r!)).toEqual([0]);
    expect(r!.tags[0]!.prob).toBeGreaterThan(0.99);
  });

  it('is not a flat cosine cut-off: the margin over "a photo." decides, not the raw score', () => {
    // Photo A scores 0.30 on concept 0, but "a photo." fits it almost as well: nothing specific.
    // Photo B scores only 0.25, yet far above its empty caption: a real match.
    const [a, b] = decideTags(
      rows({ scores: [0.3, 0.18, 0.17], generic: 0.29 }, { scores: [0.25, 0.15, 0.14], generic: 0.2 }),
      2,
      3,
      none,
      null,
    );
    expect(tagged(a!)).toEqual([]);
    expect(tagged(b!)).toEqual([0]);
  });

  it('tags nothing on a photo that matches no concept better than the empty caption', () => {
    const [r] = decideTags(rows({ scores: [0.2, 0.2, 0.2, 0.2], generic: 0.2 }), 1, 4, none, null);
    expect(r!.tags).toEqual([]);
  });

  it('keeps two subjects that share the probability mass', () => {
    const [r] = decideTags(rows({ scores: [0.3, 0.3, 0.2, 0.2], generic: 0.2 }), 1, 4, none, null);
    expect(tagged(r!)).toEqual([0, 1]);
  });

  it('adds a minor subject through its library z-score once the library is big enough', () => {
    // Concept 1 has prob ≈ 0.05 (below minProb) but is far above its usual score in this library.
    const photo = { scores: [0.33, 0.3, 0.2, 0.2], generic: 0.2 };
    const stats: ConceptStats = {
      mean: Float32Array.from([0.22, 0.22, 0.2, 0.2, 0.2]),
      std: Float32Array.from([0.02, 0.02, 0.02, 0.02, 0.02]),
      photos: 1000,
    };
    const [withZ] = decideTags(rows(photo), 1, 4, none, stats);
    expect(withZ!.tags.find((t) => t.index === 1)!.prob).toBeLessThan(TAG_RULE.minProb);
    expect(tagged(withZ!)).toEqual([0, 1]);
    const [small] = decideTags(rows(photo), 1, 4, none, { ...stats, photos: TAG_RULE.minStatsPhotos - 1 });
    expect(tagged(small!)).toEqual([0]);
    const [ordinary] = decideTags(rows(photo), 1, 4, none, {
      ...stats,
      mean: Float32Array.from([0.22, 0.29, 0.2, 0.2, 0.2]),
    });
    expect(tagged(ordinary!)).toEqual([0]);
  });

  it('flags sensitive concepts only when they dominate, and never lets them through the z path', () => {
    const sensitive = Uint8Array.from([0, 1, 0]);
    const [strong, weak] = decideTags(
      rows({ scores: [0.2, 0.3, 0.2], generic: 0.2 }, { scores: [0.3, 0.29, 0.2], generic: 0.2 }),
      2,
      3,
      sensitive,
      null,
    );
    expect(strong!.sensitive).toBe(true);
    expect(tagged(strong!)).toEqual([1]);
    expect(weak!.sensitive).toBe(false);
    expect(tagged(weak!)).toEqual([0]);
  });

  it('decides the same from a softmax handed in with the scores as from its own', () => {
    const scores = rows(
      { scores: [0.3, 0.3, 0.2, 0.2], generic: 0.2 },
      { scores: [0.2, 0.3, 0.2, 0.25], generic: 0.2 },
    );
    const own = decideTags(scores, 2, 4, none, null);
    const given = Object.assign(Float32Array.from(scores), {
      probs: Float32Array.from(own.flatMap(() => [0.4, 0.4, 0.1, 0.1])),
    });
    // The handed-in softmax wins: it is what the onnxruntime path computed alongside the product.
    expect(decideTags(given, 2, 4, none, null).map(tagged)).toEqual([[0, 1], [1]]);
    expect(own.map(tagged)).toEqual([[0, 1], [1]]);
    expect(decideTags(given, 2, 4, none, null)[1]!.tags[0]!.prob).toBeCloseTo(0.4, 6);
  });

  it('keeps at most maxTags tags, the most probable', () => {
    const c = 12;
    const [r] = decideTags(
      rows({ scores: Array.from({ length: c }, (_, j) => 0.3 - j * 0.001), generic: 0.2 }),
      1,
      c,
      new Uint8Array(c),
      null,
      { ...TAG_RULE, minProb: 0.01 },
    );
    expect(r!.tags).toHaveLength(TAG_RULE.maxTags);
    expect(tagged(r!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('conceptStats', () => {
  it('computes each column’s mean and standard deviation', () => {
    const s = conceptStats(Float32Array.from([1, 10, 3, 10, 5, 10]), 3, 2);
    expect(s.mean[0]).toBeCloseTo(3);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3));
    expect(s.mean[1]).toBeCloseTo(10);
    expect(s.std[1]).toBeCloseTo(0);
  });
});
