// Vector maths on embeddings, shared by the inference process, search and albums.

/** L2-normalises each row in place; a zero row stays zero rather than turning into NaN. */
export function normaliseRows(data: Float32Array, dim: number): Float32Array {
  for (let off = 0; off < data.length; off += dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += data[off + i]! * data[off + i]!;
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < dim; i++) data[off + i]! *= inv;
  }
  return data;
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function normalise(v: Float32Array): Float32Array {
  const n = dot(v, 0, v, 0, v.length);
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * s;
  return v;
}

/** The dot product of a[ai..ai+dim) and b[bi..bi+dim), with two sums to keep the CPU's adders busy. */
export function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s0 = 0,
    s1 = 0;
  let k = 0;
  for (; k + 2 <= dim; k += 2) {
    s0 += a[ai + k]! * b[bi + k]!;
    s1 += a[ai + k + 1]! * b[bi + k + 1]!;
  }
  if (k < dim) s0 += a[ai + k]! * b[bi + k]!;
  return s0 + s1;
}
