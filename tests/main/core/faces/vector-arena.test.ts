// The SIMD dot product in WebAssembly memory: the same numbers as a plain loop, and slots that
// keep their values while the memory grows under them.
import { describe, expect, it } from 'vitest';
import { VectorArena } from '#core/faces/vector-arena.ts';

describe('VectorArena', () => {
  it('computes dot products as a plain loop does, through growth of its memory', () => {
    const dim = 512;
    const arena = new VectorArena(dim);
    const vectors: Float32Array[] = [];
    // 200 slots of 2 KiB: more than the first 64 KiB page, so the memory grows several times.
    for (let i = 0; i < 200; i++) {
      const v = Float32Array.from({ length: dim }, (_, k) => Math.sin(i * 7 + k * 0.37));
      vectors.push(v);
      arena.set(arena.add(), v);
    }
    const plain = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, k) => s + x * b[k]!, 0);
    for (const [a, b] of [
      [0, 1],
      [3, 199],
      [150, 150],
      [42, 7],
    ] as const) {
      expect(arena.dot(a, b)).toBeCloseTo(plain(vectors[a]!, vectors[b]!), 2);
    }
    arena.at(5).fill(0);
    expect(arena.dot(5, 6)).toBe(0);
  });

  it('refuses vectors whose length is not a multiple of 4', () => {
    expect(() => new VectorArena(130)).toThrow(/multiple of 4/);
  });
});
