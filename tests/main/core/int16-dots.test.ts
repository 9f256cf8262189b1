import { readFile } from 'node:fs/promises';
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { Int16Dots, INT16_DOTS_WASM } from '#core/int16-dots.ts';
import { unitVectors } from '#support/unit-vectors.ts';

// The held vectors' dot products run in a WebAssembly module kept in the source as bytes: they
// must be the .wat's, and they must be the dot products, at every size a model has and at the
// largest components 16 bits hold.

/** Rows of `dim` 16-bit components from unit vectors, scaled as row-vectors.ts holds them. */
function codesOf(n: number, dim: number, seed: number): Int16Array {
  const v = unitVectors(n, dim, seed);
  const out = new Int16Array(n * dim);
  for (let r = 0; r < n; r++) {
    const row = v.subarray(r * dim, (r + 1) * dim);
    const max = Math.max(...row.map(Math.abs));
    for (let k = 0; k < dim; k++) out[r * dim + k] = Math.round((row[k]! / max) * 32_767);
  }
  return out;
}

const exact = (codes: Int16Array, from: number, q: Float32Array): number => {
  let s = 0;
  for (let k = 0; k < q.length; k++) s += codes[from + k]! * q[k]!;
  return s;
};

describe('dot products of 16-bit rows in WebAssembly SIMD', () => {
  it('is int16-dots.wat assembled', async () => {
    const text = await readFile(new URL('../../../app/main/core/int16-dots.wat', import.meta.url), 'utf8');
    const module = (await wabt()).parseWat('int16-dots.wat', text);
    module.validate();
    const assembled = Buffer.from(module.toBinary({}).buffer).toString('base64');
    expect(INT16_DOTS_WASM, `INT16_DOTS_WASM should be:\n${assembled}`).toBe(assembled);
  });

  it('runs here: Node has WebAssembly SIMD', () => {
    expect(Int16Dots.create()).not.toBeNull();
    expect([Int16Dots.fits(512), Int16Dots.fits(768), Int16Dots.fits(12), Int16Dots.fits(0)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  for (const dim of [8, 32, 512, 768]) {
    it(`gives each row's dot product with the query (${dim} components)`, () => {
      const kernel = Int16Dots.create()!;
      const n = 300;
      const codes = codesOf(n, dim, dim);
      const q = unitVectors(1, dim, dim + 1);
      // Rows set out of order, from anywhere in their array.
      const order = Array.from({ length: n }, (_, i) => (i * 7) % n);
      kernel.begin(q, n);
      order.forEach((r, i) => kernel.set(i, codes, r * dim));
      const got = kernel.run();
      expect(got).toHaveLength(n);
      order.forEach((r, i) => {
        const want = exact(codes, r * dim, q);
        // Relative to the largest the sum can be (each term at most 32767 * |q_k|).
        const scale = 32_767 * q.reduce((a, x) => a + Math.abs(x), 0);
        expect(Math.abs(got[i]! - want) / scale, `row ${r}`).toBeLessThan(1e-5);
      });
    });
  }

  it('does not overflow at the largest components, and grows its memory for a large batch', () => {
    const kernel = Int16Dots.create()!;
    const dim = 512;
    // 10,000 rows of 1 KB: the one page the module starts with, many times over.
    const n = 10_000;
    const codes = new Int16Array(n * dim);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < dim; k++) codes[r * dim + k] = r % 2 === 0 ? 32_767 : k % 2 === 0 ? -32_767 : 32_767;
    const q = new Float32Array(dim).fill(1 / Math.sqrt(dim));
    kernel.begin(q, n);
    for (let r = 0; r < n; r++) kernel.set(r, codes, r * dim);
    const got = kernel.run();
    // All at +32767: each pairwise sum is 2 * 32767^2 before the query's scale, near 2^31.
    expect(got[0]! / (32_767 * Math.sqrt(dim))).toBeCloseTo(1, 5);
    expect(got[1]!).toBeCloseTo(0, 2);
    expect(got[n - 2]! / (32_767 * Math.sqrt(dim))).toBeCloseTo(1, 5);
    // A small batch after it reads its own rows, not the large one's.
    const few = codesOf(3, dim, 9);
    kernel.begin(q, 3);
    for (let r = 0; r < 3; r++) kernel.set(r, few, r * dim);
    const after = kernel.run();
    for (let r = 0; r < 3; r++) expect(after[r]! / exact(few, r * dim, q)).toBeCloseTo(1, 5);
  });

  it('scores a zero query as zero', () => {
    const kernel = Int16Dots.create()!;
    const codes = codesOf(4, 32, 3);
    kernel.begin(new Float32Array(32), 4);
    for (let r = 0; r < 4; r++) kernel.set(r, codes, r * 32);
    expect([...kernel.run()]).toEqual([0, 0, 0, 0]);
  });
});
