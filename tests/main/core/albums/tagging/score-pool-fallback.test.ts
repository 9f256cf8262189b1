import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScorePool } from '#core/albums/tagging/score-pool.ts';
import { scoreMatrix } from '#core/albums/tagging/tag-rule.ts';

// A binding whose session cannot open, as where onnxruntime's native library fails to load.
vi.mock('onnxruntime-node', () => ({
  InferenceSession: { create: () => Promise.reject(new Error('no CPU provider in this build')) },
  Tensor: vi.fn(),
}));

describe('ScorePool without onnxruntime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says why, and scores on the JS path with the same matrix', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const [n, m, d] = [700, 13, 24];
    const photos = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i));
    const concepts = Float32Array.from({ length: m * d }, (_, i) => Math.cos(i));
    const pool = ScorePool.create(2);
    try {
      expect(await pool.backend()).toBe('js');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('no CPU provider in this build'));
      const got = await pool.score(photos, n, concepts, m, d);
      expect(Array.from(got)).toEqual(Array.from(scoreMatrix(photos, n, concepts, m, d)));
      expect((got as { probs?: Float32Array }).probs).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});
