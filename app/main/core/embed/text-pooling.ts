/** Averages consecutive groups of rows: group i has counts[i] rows. Rows must be normalised. */
export function poolRows(rows: Float32Array, dim: number, counts: readonly number[]): Float32Array {
  const out = new Float32Array(counts.length * dim);
  let row = 0;
  counts.forEach((n, i) => {
    for (let r = 0; r < n; r++, row++) {
      for (let d = 0; d < dim; d++) out[i * dim + d]! += rows[row * dim + d]! / n;
    }
  });
  return out;
}
