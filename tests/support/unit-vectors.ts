/** Deterministic pseudo-random unit vectors of `dim` numbers each, so a failure reproduces. */
export function unitVectors(n: number, dim: number, seed: number): Float32Array {
  const out = new Float32Array(n * dim);
  let a = seed;
  // mulberry32: small, fast, and random enough that no two of 20,000 vectors coincide.
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < out.length; i++) out[i] = next() - 0.5;
  for (let r = 0; r < n; r++) {
    const v = out.subarray(r * dim, (r + 1) * dim);
    const norm = Math.hypot(...v);
    for (let i = 0; i < dim; i++) v[i]! /= norm;
  }
  return out;
}
